// The process designer page: bpmn-js Modeler with Tonghu's properties, drafts, validation, deploy.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';

import spiffworkflow from '../spiffworkflow.json';
import TonghuPropertiesProvider from './provider.jsx';
import { api, chineseTranslate, el } from './common';
import { changedFiles, deployChanged, discardCurrent, keepCurrent, saveEdited, statusLine } from './drafts';

const root = document.getElementById('designer');
const config = JSON.parse(document.getElementById('designer-config').textContent);
const t = (key) => config.messages[key] || key;
const say = statusLine(document.getElementById('designer-status'));
const problemList = document.getElementById('problem-list');
const problemSection = document.getElementById('problems');

const state = {
  files: {},        // filename -> {xml, revision, dirty, main, processes}
  current: null,
  problems: [],
  ready: false,
};

// What the shared draft handling needs of this page (drafts.js); the modeler joins once built.
const page = { state, config, t, say, modeler: null, open: (name) => open(name, page.modeler),
  renderTabs: () => renderTabs(), showProblems: (problems) => showProblems(problems, page.modeler) };

async function main() {
  const catalog = await api('GET', config.urls.catalog);
  const modeler = new BpmnModeler({
    container: '#canvas',
    propertiesPanel: {
      parent: '#properties',
      layout: { groups: Object.fromEntries(['general', 'tonghu-routing', 'tonghu-form', 'tonghu-handler',
        'tonghu-condition', 'tonghu-default'].map((id) => [id, { open: true }])) },
    },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      { __init__: ['tonghuPropertiesProvider'], tonghuPropertiesProvider: ['type', TonghuPropertiesProvider] },
      { translate: ['value', chineseTranslate(config.bpmnMessages || {})] },
    ],
    moddleExtensions: { spiffworkflow },
    tonghu: { catalog, messages: config.messages },
  });
  window.tonghuModeler = modeler; // for the browser tests and the curious
  page.modeler = modeler;
  modeler.on('commandStack.changed', () => {
    if (!state.ready || !state.current) return;
    state.files[state.current].dirty = true;
    renderTabs();
    say(t('Unsaved changes.'), 'warn');
  });

  const answer = await api('GET', config.urls.files);
  for (const file of answer.files) {
    state.files[file.filename] = { ...file, dirty: false };
  }
  renderTabs();
  await open(answer.files[0].filename, modeler);
  say(answer.files.some((f) => f.draft) ? t('A saved draft is open.') : t('The deployed version is open.'));

  document.getElementById('save-draft').addEventListener('click', () => saveDrafts(modeler));
  document.getElementById('check').addEventListener('click', () => checkAll(modeler));
  document.getElementById('deploy').addEventListener('click', deploy);
  document.getElementById('discard').addEventListener('click', () => discardCurrent(page));
  document.getElementById('import-file').addEventListener('change', (event) => importFile(event, modeler));
  document.getElementById('download').addEventListener('click', () => download(modeler));
  root.dataset.ready = 'true';
}

function renderTabs() {
  const tabs = document.getElementById('file-tabs');
  tabs.replaceChildren(...Object.entries(state.files).map(([name, file]) => {
    const button = el('button', {
      type: 'button', role: 'tab', class: 'file-tab', 'data-file': name,
      'aria-selected': String(name === state.current),
    }, `${file.title || name}${file.main ? '' : ` · ${t('called')}`}${file.dirty ? ' ●' : ''}${file.draft ? ` · ${t('draft')}` : ''}`);
    button.title = name;
    button.addEventListener('click', () => open(name, window.tonghuModeler));
    return button;
  }));
}

async function open(name, modeler) {
  if (state.current === name) return;
  await keepCurrent(page);
  state.ready = false;
  state.current = name;
  try {
    const { warnings } = await modeler.importXML(state.files[name].xml);
    if (warnings.length) console.warn('import warnings', warnings);
  } catch (err) {
    say(`${t('The diagram cannot be shown')}: ${err.message}`, 'error');
    return;
  }
  modeler.get('canvas').zoom('fit-viewport');
  state.ready = true;
  renderTabs();
  highlight(modeler);
  root.dataset.current = name;
}

async function saveDrafts(modeler) {
  try {
    if (!await saveEdited(page)) return;
    const { problems, warnings } = await api('POST', config.urls.check, { files: await changedFiles(page) }, config.csrf);
    showProblems(problems, modeler, warnings);
    if (problems.length) say(t('Draft saved; it has problems to fix before deploy.'), 'warn');
    else say(warnings.length ? t('Draft saved, with notes to read.') : t('Draft saved.'), 'success');
  } catch (err) {
    say(err.message, 'error');
  }
}

async function checkAll(modeler) {
  say(t('Validating…'));
  try {
    const { problems, warnings } = await api('POST', config.urls.check, { files: await changedFiles(page) }, config.csrf);
    showProblems(problems, modeler, warnings);
    if (problems.length) say(t('Validation found problems.'), 'warn');
    else say(warnings.length ? t('Validation passed, with notes to read.') : t('Validation passed.'), 'success');
  } catch (err) {
    say(err.message, 'error');
  }
}

async function deploy() {
  // A deployment is for every new case from now on: ask before, never on a stray click.
  if (!window.confirm(t('Deploy these diagrams as a new version? New cases start on it; running cases stay on their version.'))) {
    say(t('Not deployed.'));
    return;
  }
  const deployed = await deployChanged(page);
  if (!deployed) return;
  document.getElementById('versions-link').hidden = false;
  const main = deployed.find((d) => d.process_id === root.dataset.process);
  if (main) {  // the page now edits the new version: say so
    document.getElementById('based-on').textContent = t('based on version %(n)s').replace('%(n)s', main.version);
  }
}

async function importFile(event, modeler) {
  const upload = event.target.files[0];
  if (!upload) return;
  const xml = await upload.text();
  event.target.value = '';
  try {
    state.ready = false;
    await modeler.importXML(xml);
    modeler.get('canvas').zoom('fit-viewport');
  } catch (err) {
    say(`${t('The file is not a BPMN diagram')}: ${err.message}`, 'error');
    const file = state.files[state.current];
    await modeler.importXML(file.xml);
    state.ready = true;
    return;
  }
  state.ready = true;
  const file = state.files[state.current];
  file.xml = xml;
  file.dirty = true;
  renderTabs();
  say(`${t('Imported')} ${upload.name}. ${t('Unsaved changes.')}`, 'warn');
  await checkAll(modeler);
}

async function download(modeler) {
  await keepCurrent(page);
  const file = state.files[state.current];
  const { xml } = await modeler.saveXML({ format: true });
  const link = el('a', { href: URL.createObjectURL(new Blob([xml || file.xml], { type: 'application/xml' })), download: state.current });
  link.click();
}

// -- problems and warnings --------------------------------------------------------------
// A problem stops the deploy; a warning (提示) is something that can run but needs someone outside
// the diagram (a message nobody in the files sends, a pool only drawn): both listed, both marked.
function showProblems(problems, modeler, warnings = []) {
  state.problems = [...problems.map((p) => ({ ...p, kind: 'problem' })), ...warnings.map((w) => ({ ...w, kind: 'warning' }))];
  problemSection.hidden = !state.problems.length;
  problemSection.querySelector('h2').textContent = warnings.length ? t('Problems and notes') : t('Problems');
  problemList.replaceChildren(...state.problems.map((p) => {
    const where = p.element ? `${p.file} · ${p.element}` : p.file;
    const item = el('li', { class: p.kind, 'data-element': p.element || '', 'data-file': p.file },
      el('span', { class: 'kind' }, p.kind === 'warning' ? t('Warning') : t('Problem')), ' ',
      el('span', { class: 'where' }, where), ' ', el('span', { class: 'message' }, p.message));
    if (p.element) {
      item.tabIndex = 0;
      item.addEventListener('click', () => focusProblem(p, modeler));
      item.addEventListener('keydown', (e) => { if (e.key === 'Enter') focusProblem(p, modeler); });
    }
    return item;
  }));
  highlight(modeler);
}

function highlight(modeler) {
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  registry.forEach((element) => {
    canvas.removeMarker(element, 'tonghu-problem');
    canvas.removeMarker(element, 'tonghu-warning');
  });
  const problemAt = new Set(state.problems.filter((p) => p.kind === 'problem').map((p) => p.element));
  for (const problem of state.problems) {
    if (problem.file === state.current && problem.element && registry.get(problem.element)) {
      // an element with a problem and a warning shows the problem
      if (problem.kind === 'problem' || !problemAt.has(problem.element)) canvas.addMarker(problem.element, `tonghu-${problem.kind}`);
    }
  }
}

async function focusProblem(problem, modeler) {
  if (state.files[problem.file]) await open(problem.file, modeler);
  const element = modeler.get('elementRegistry').get(problem.element);
  if (!element) return;
  modeler.get('selection').select(element);
  const canvas = modeler.get('canvas');
  if (canvas.scrollToElement) canvas.scrollToElement(element);
}

main().catch((err) => say(err.message, 'error'));
