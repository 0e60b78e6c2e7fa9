// report.html's filters (status buttons, text search), expand / collapse all,
// and opening the scenario a #scenario-N link points at. The page works
// without it: the toolbar stays hidden.
(() => {
  const toolbar = document.querySelector('.toolbar');
  toolbar.hidden = false;
  const text = document.getElementById('filter-text');
  const buttons = [...toolbar.querySelectorAll('[data-filter]')];
  const items = [...document.querySelectorAll('[data-status]')];
  const rows = document.querySelectorAll('tr[data-status]').length;
  let mode = 'all';
  const keep = (el) => {
    const status = el.dataset.status;
    const statusOk = mode === 'all' ||
        (mode === 'problems' ? status === 'failed' || status === 'error' : status === mode);
    const query = text.value.trim().toLowerCase();
    return statusOk && (!query || el.dataset.search.includes(query));
  };
  const apply = () => {
    items.forEach((el) => { el.hidden = !keep(el); });
    buttons.forEach((b) => b.classList.toggle('active', b.dataset.filter === mode));
    const shown = document.querySelectorAll('tr[data-status]:not([hidden])').length;
    document.getElementById('shown').textContent = shown + ' of ' + rows + ' shown';
  };
  buttons.forEach((b) => b.addEventListener('click', () => { mode = b.dataset.filter; apply(); }));
  text.addEventListener('input', apply);
  const setOpen = (open) => document.querySelectorAll('details.scenario:not([hidden])')
      .forEach((d) => { d.open = open; });
  document.getElementById('expand-all').addEventListener('click', () => setOpen(true));
  document.getElementById('collapse-all').addEventListener('click', () => setOpen(false));
  const openTarget = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
  apply();
})();
