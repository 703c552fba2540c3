// What the modeler and the decision-table editor share: the files open in the page and their drafts,
// the status line, and saving, deploying and discarding through the designer's endpoints.
// `page` is { state, modeler, config, t, say, open(name), renderTabs(), showProblems(problems) };
// bpmn-js and dmn-js both give their XML with `saveXML`.
import { api, deployConfirmed, deployedList, deployRegion } from './common';

export function statusLine(status) {
  return function say(message, kind = 'info') {
    status.textContent = message;
    status.className = `designer-status ${kind}`;
  };
}

// The open file's edits into its XML.
export async function keepCurrent({ state, modeler }) {
  const file = state.files[state.current];
  if (file && file.dirty) {
    const { xml } = await modeler.saveXML({ format: true });
    file.xml = xml;
  }
}

// The files a check or deploy sends: those edited or with a draft.
export async function changedFiles(page) {
  await keepCurrent(page);
  const files = {};
  for (const [name, file] of Object.entries(page.state.files)) {
    if (file.dirty || file.draft) files[name] = file.xml;
  }
  return files;
}

// Save each edited file as its draft; false when nothing was edited.
export async function saveEdited(page) {
  const { state, config, t, say } = page;
  const files = await changedFiles(page);
  const edited = Object.keys(files).filter((name) => state.files[name].dirty);
  if (!edited.length) {
    say(t('Nothing to save.'));
    return false;
  }
  say(t('Saving…'));
  for (const name of edited) {
    const file = state.files[name];
    const answer = await api('POST', config.urls.save, { file: name, xml: files[name], revision: file.draft ? file.draft.revision : null }, config.csrf);
    file.dirty = false;
    file.draft = answer.draft;
  }
  page.renderTabs();
  return true;
}

// Deploy the changed files for the chosen place and say what came of it: the versions deployed,
// or null when nothing was (declined, refused with problems, or failed).
export async function deployChanged(page) {
  const { state, config, t, say } = page;
  say(t('Deploying…'));
  const note = document.getElementById('deploy-note').value;
  try {
    const answer = await deployConfirmed(config.urls.deploy, deployRegion({ files: await changedFiles(page), note }), config.csrf, t);
    if (answer.declined) {
      say(`${t('Not deployed.')} ${t('%(n)s scenarios fail on this draft.').replace('%(n)s', answer.failed)}`, 'warn');
      return null;
    }
    if (answer.problems) {
      page.showProblems(answer.problems);
      say(t('Not deployed: fix the problems first.'), 'error');
      return null;
    }
    page.showProblems([]);
    for (const file of Object.values(state.files)) {
      file.dirty = false;
      file.draft = null;
    }
    page.renderTabs();
    const list = deployedList(answer.deployed, t);
    say(answer.deployed.length ? `${t('Deployed')}: ${list}` : t('Nothing changed; no new version.'), 'success');
    return answer.deployed;
  } catch (err) {
    say(err.message, 'error');
    return null;
  }
}

// Drop the open file's draft and reopen its deployed version.
export async function discardCurrent(page) {
  const { state, config, t, say } = page;
  const file = state.files[state.current];
  if (!file.draft && !file.dirty) {
    say(t('There is no draft to discard.'));
    return;
  }
  try {
    const answer = await api('POST', config.urls.discard, { file: state.current }, config.csrf);
    Object.assign(file, { xml: answer.xml, draft: null, dirty: false });
    const name = state.current;
    state.current = null;
    await page.open(name);
    say(t('The draft is discarded; the deployed version is open.'), 'success');
  } catch (err) {
    say(err.message, 'error');
  }
}
