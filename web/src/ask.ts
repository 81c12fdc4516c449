/**
 * The app's questions (删除, 停用, 撤回, 强制报送 …) and notices, as Element Plus's message box with one
 * difference: a click outside answers nothing. The second click of a double click on the button
 * that asked lands on the backdrop, which cancelled the question before it was read. 取消, × and
 * Esc still cancel. (form-guard's 离开? keeps Element Plus's default: outside there is 继续填写.)
 */
import { ElMessageBox, type ElMessageBoxOptions } from 'element-plus';

export const ask = (message: string, title: string, options: ElMessageBoxOptions = {}) =>
  ElMessageBox.confirm(message, title, { closeOnClickModal: false, ...options });

export const tell = (message: string, title: string, options: ElMessageBoxOptions = {}) =>
  ElMessageBox.alert(message, title, { closeOnClickModal: false, ...options });
