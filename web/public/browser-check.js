// Below Chrome 87 / Firefox 78 the app cannot run: say so in words instead of a blank page.
// A classic script (no modules, no arrow functions) so that old engines can run it.
(function () {
  var ok = typeof String.prototype.replaceAll === 'function' && typeof Promise.allSettled === 'function';
  if (ok) return;
  document.addEventListener('DOMContentLoaded', function () {
    var notice = document.getElementById('unsupported');
    if (notice) notice.hidden = false;
  });
})();
