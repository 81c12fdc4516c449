import { createRouter, createWebHistory, START_LOCATION } from 'vue-router';
import { askEarly, dashboardUrl } from './early';
import { today } from './format';
import { dayParam, param } from './screen';
import { can, type Action } from './permissions';
import { useSession } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./views/LoginView.vue'),
      meta: { title: '登录' },
    },
    {
      path: '/change-password',
      name: 'change-password',
      component: () => import('./views/ChangePasswordView.vue'),
      meta: { title: '修改密码' },
    },
    {
      // the phone screens (issue 35 point 5, docs/web.md "On a phone"): their own light layout
      path: '/m',
      component: () => import('./mobile/MobileLayout.vue'),
      children: [
        {
          path: '',
          name: 'm-projects',
          component: () => import('./mobile/MobileProjectsView.vue'),
          meta: { title: '手机填报' },
        },
        {
          path: 'projects/:id(\\d+)',
          name: 'm-project',
          component: () => import('./mobile/MobileProjectView.vue'),
          meta: { title: '项目' },
        },
        {
          path: 'projects/:id(\\d+)/report',
          name: 'm-report',
          component: () => import('./mobile/MobileReportView.vue'),
          meta: { title: '填报进度' },
        },
        { path: ':rest(.*)*', redirect: '/m/' },
      ],
    },
    {
      path: '/',
      component: () => import('./views/AppLayout.vue'),
      children: [
        {
          path: '',
          name: 'dashboard',
          component: () => import('./views/DashboardView.vue'),
          meta: { title: '首页' },
        },
        {
          path: 'projects',
          name: 'projects',
          component: () => import('./views/ProjectsView.vue'),
          meta: { title: '项目台账' },
        },
        {
          path: 'projects/:id(\\d+)',
          name: 'project',
          component: () => import('./views/ProjectDetailView.vue'),
          meta: { title: '项目详情' },
        },
        {
          path: 'funding',
          name: 'funding',
          component: () => import('./views/FundingView.vue'),
          meta: { title: '资金管理' },
        },
        {
          path: 'alerts',
          name: 'alerts',
          component: () => import('./views/AlertsView.vue'),
          meta: { title: '预警中心' },
        },
        {
          path: 'reports',
          name: 'reports',
          component: () => import('./views/ReportsView.vue'),
          meta: { title: '报表与导入' },
        },
        {
          path: 'submission',
          name: 'submission',
          component: () => import('./views/SubmitView.vue'),
          // every role reads its region's month (a viewer without the 报送 form): the API scopes it
          meta: { title: '月报报送' },
        },
        {
          path: 'review',
          name: 'review',
          component: () => import('./views/ReviewView.vue'),
          // a viewer reads 审核 without its buttons (issue 33: "Viewers read")
          meta: { title: '审核' },
        },
        {
          path: 'plans',
          name: 'plans',
          component: () => import('./views/PlansView.vue'),
          meta: { title: '规划目标' },
        },
        {
          path: 'admin',
          name: 'admin',
          component: () => import('./views/AdminView.vue'),
          meta: { title: '系统管理', can: 'user.admin' },
        },
        {
          path: ':rest(.*)*',
          name: 'not-found',
          component: () => import('./views/NotFoundView.vue'),
          meta: { title: '页面不存在' },
        },
      ],
    },
  ],
});

router.beforeEach(async (to, from) => {
  // the screen's code is fetched while the session is checked, not after
  for (const record of to.matched) {
    const view = record.components?.default;
    if (typeof view === 'function')
      void Promise.resolve((view as () => unknown)()).catch(() => undefined);
  }
  // a page load on 首页: its figures are asked for beside the session check, not after it
  if (from === START_LOCATION && to.name === 'dashboard')
    askEarly(dashboardUrl(dayParam(to, 'asOf', today()), param(to, 'regionId')));
  const session = useSession();
  const user = await session.load();
  if (to.name === 'login') return user ? { path: '/' } : true;
  if (!user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  // a password an admin set (new account, reset): 修改密码 first, nowhere else until it is changed
  // (then on to the page asked for: a link's day and region are kept)
  if (user.mustChangePassword && to.name !== 'change-password')
    return {
      name: 'change-password',
      query: to.fullPath === '/' || to.name === 'login' ? {} : { redirect: to.fullPath },
    };
  // a screen the permission table does not give the user's role
  if (to.meta.can && !can(to.meta.can as Action)) return { path: '/' };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '学校建设项目管理'} - 学校建设项目管理`;
});
