// The decision-table editor: dmn-js opens the tables a procedure calls; drafts, validation and
// deploy go through the same endpoints as the modeler (the server checks every cell).
import DmnModeler from 'dmn-js/lib/Modeler';

import { api, chineseTranslate, el } from './common';
import { changedFiles, deployChanged, discardCurrent, keepCurrent, saveEdited, statusLine } from './drafts';

const root = document.getElementById('tables');
const config = JSON.parse(document.getElementById('tables-config').textContent);
const t = (key) => config.messages[key] || key;
const say = statusLine(document.getElementById('designer-status'));
const translate = { translate: ['value', chineseTranslate(config.dmnMessages || {})] };

const state = { files: {}, current: null, ready: false, problems: [] };

const modeler = new DmnModeler({
  container: '#table-canvas',
  drd: { additionalModules: [translate] },
  decisionTable: { additionalModules: [translate] },
  literalExpression: { additionalModules: [translate] },
  boxedExpression: { additionalModules: [translate] },
});
window.tonghuTables = modeler; // for the browser tests
const page = { state, modeler, config, t, say, open: (name) => open(name), renderTabs: () => renderTabs(),
  showProblems: (problems) => showProblems(problems) };

modeler.on('views.changed', ({ activeView }) => {
  const viewer = modeler.getActiveViewer();
  if (!viewer || viewer.__tonghuWatched) return;
  viewer.__tonghuWatched = true;
  viewer.get('eventBus').on('elements.changed', () => {
    if (!state.ready || !state.current) return;
    state.files[state.current].dirty = true;
    renderTabs();
    say(t('Unsaved changes.'), 'warn');
  });
  root.dataset.view = activeView ? activeView.type : '';
});

async function main() {
  const answer = await api('GET', config.urls.files);
  for (const file of answer.files) state.files[file.filename] = { ...file, dirty: false };
  if (!answer.files.length) {
    say(t('This procedure calls no decision table.'));
    root.dataset.ready = 'true';
    return;
  }
  renderTabs();
  await open(answer.files[0].filename);
  say(answer.files.some((f) => f.draft) ? t('A saved draft is open.') : t('The deployed version is open.'));
  document.getElementById('save-draft').addEventListener('click', saveDrafts);
  document.getElementById('check').addEventListener('click', checkAll);
  document.getElementById('deploy').addEventListener('click', deploy);
  document.getElementById('discard').addEventListener('click', discard);
  root.dataset.ready = 'true';
}

function renderTabs() {
  const tabs = document.getElementById('file-tabs');
  tabs.replaceChildren(...Object.entries(state.files).map(([name, file]) => {
    const button = el('button', { type: 'button', role: 'tab', class: 'file-tab', 'data-file': name,
      'aria-selected': String(name === state.current) },
    `${file.title || name}${file.dirty ? ' ●' : ''}${file.draft ? ` · ${t('draft')}` : ''}`);
    button.title = name;
    button.addEventListener('click', () => open(name));
    return button;
  }));
}

async function open(name) {
  if (state.current === name) return;
  await keepCurrent(page);
  state.ready = false;
  state.current = name;
  try {
    await modeler.importXML(state.files[name].xml);
  } catch (err) {
    say(`${t('The table cannot be shown')}: ${err.message}`, 'error');
    return;
  }
  const table = modeler.getViews().find((v) => v.type === 'decisionTable');
  if (table) await modeler.open(table);
  state.ready = true;
  renderTabs();
  highlight();
  root.dataset.current = name;
}

async function saveDrafts() {
  try {
    if (!await saveEdited(page)) return;
    const { problems } = await api('POST', config.urls.check, { files: await changedFiles(page) }, config.csrf);
    showProblems(problems);
    say(problems.length ? t('Draft saved; it has problems to fix before deploy.') : t('Draft saved.'), problems.length ? 'warn' : 'success');
  } catch (err) {
    say(err.message, 'error');
  }
}

async function checkAll() {
  say(t('Validating…'));
  try {
    const { problems } = await api('POST', config.urls.check, { files: await changedFiles(page) }, config.csrf);
    showProblems(problems);
    say(problems.length ? t('Validation found problems.') : t('Validation passed.'), problems.length ? 'warn' : 'success');
  } catch (err) {
    say(err.message, 'error');
  }
}

async function deploy() {
  const deployed = await deployChanged(page);
  if (deployed) document.getElementById('diff-link').hidden = !deployed.length;
}

async function discard() {
  await discardCurrent(page);
}

function showProblems(problems) {
  state.problems = problems;
  document.getElementById('problems').hidden = !problems.length;
  document.getElementById('problem-list').replaceChildren(...problems.map((p) => el('li', {
    class: 'problem', 'data-element': p.element || '', 'data-file': p.file,
  }, el('span', { class: 'where' }, p.element ? `${p.file} · ${p.element}` : p.file), ' ', el('span', { class: 'message' }, p.message))));
  highlight();
}

// A refused cell or column is marked in the table (dmn-js names cells by their element id).
function highlight() {
  document.querySelectorAll('#table-canvas .tonghu-problem').forEach((node) => node.classList.remove('tonghu-problem'));
  for (const problem of state.problems) {
    if (problem.file !== state.current || !problem.element) continue;
    document.querySelectorAll(`#table-canvas [data-element-id="${CSS.escape(problem.element)}"], #table-canvas [data-col-id="${CSS.escape(problem.element)}"]`)
      .forEach((node) => node.classList.add('tonghu-problem'));
  }
}

main().catch((err) => say(err.message, 'error'));
