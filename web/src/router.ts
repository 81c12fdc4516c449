import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录' } },
    {
      path: '/',
      component: () => import('./views/AppLayout.vue'),
      children: [
        { path: '', redirect: '/projects' },
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
          path: ':rest(.*)*',
          name: 'not-found',
          component: () => import('./views/NotFoundView.vue'),
          meta: { title: '页面不存在' },
        },
      ],
    },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  const user = await session.load();
  if (to.name === 'login') return user ? { path: '/projects' } : true;
  if (!user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '学校建设项目管理'} - 学校建设项目管理`;
});
