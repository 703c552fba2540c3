// The case diagram: bpmn-js Viewer with completed steps, current steps and responsible offices marked.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

import spiffworkflow from '../spiffworkflow.json';
import { api, el } from './common';

const root = document.getElementById('case-diagram');
const config = JSON.parse(document.getElementById('diagram-config').textContent);
const t = (key) => config.messages[key] || key;

async function main() {
  const data = await api('GET', config.urls.data);
  const viewer = new NavigatedViewer({ container: '#canvas', moddleExtensions: { spiffworkflow } });
  window.tonghuViewer = viewer;
  const tabs = document.getElementById('file-tabs');
  const show = async (diagram) => {
    await viewer.importXML(diagram.xml);
    const canvas = viewer.get('canvas');
    const overlays = viewer.get('overlays');
    const registry = viewer.get('elementRegistry');
    canvas.zoom('fit-viewport');
    for (const id of diagram.completed) {
      if (registry.get(id)) canvas.addMarker(id, 'tonghu-done');
    }
    for (const task of diagram.open) {
      if (!registry.get(task.id)) continue;
      canvas.addMarker(task.id, 'tonghu-current');
      overlays.add(task.id, 'tonghu-office', {
        position: { bottom: -6, left: -10 },
        html: el('div', { class: 'tonghu-office-badge', title: t('Responsible office') }, task.office),
      });
    }
    for (const [laneId, office] of Object.entries(diagram.lanes)) {
      if (!registry.get(laneId)) continue;
      overlays.add(laneId, 'tonghu-lane-office', {
        position: { top: 4, left: 36 },
        html: el('div', { class: 'tonghu-lane-badge' }, office),
      });
    }
    for (const button of tabs.querySelectorAll('button')) {
      button.setAttribute('aria-selected', String(button.dataset.file === diagram.file));
    }
    root.dataset.file = diagram.file;
    root.dataset.ready = 'true';
  };
  tabs.replaceChildren(...data.diagrams.map((diagram) => {
    const button = el('button', { type: 'button', role: 'tab', class: 'file-tab', 'data-file': diagram.file },
      diagram.main ? data.name : `${diagram.title || diagram.file} · ${t('called')}`);
    button.addEventListener('click', () => show(diagram));
    return button;
  }));
  tabs.hidden = data.diagrams.length < 2;
  await show(data.diagrams[0]);
}

main().catch((err) => {
  document.getElementById('diagram-status').textContent = err.message;
});
