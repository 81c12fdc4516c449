import './polyfills';
import { provideGlobalConfig } from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installPrint } from './print';
import { router } from './router';
import './styles.css';

installPrint();
// Element Plus's components are imported where they are used (the sign-in page loads only its own);
// the locale is set for the whole app, messages and message boxes included
// typescript-eslint's program has no .vue loader (vue-tsc type-checks App.vue): the import types as an error
// eslint-disable-next-line @typescript-eslint/no-unsafe-argument
const app = createApp(App).use(createPinia()).use(router);
provideGlobalConfig({ locale: zhCn }, app, true);
app.mount('#app');
