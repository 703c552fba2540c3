// The case diagram: bpmn-js Viewer with completed steps, current steps and responsible offices marked.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

import spiffworkflow from '../spiffworkflow.json';
import { api, el } from './common';

const root = document.getElementById('case-diagram');
const config = JSON.parse(document.getElementById('diagram-config').textContent);
const t = (key) => config.messages[key] || key;

// Labels are 12 px at scale 1: below this scale they are too small to read.
const READABLE = 0.9;

// The whole diagram when it is readable so; else a readable zoom centred on the current steps
// (or on the start when nothing is open), the rest reached by dragging.
function focus(canvas, registry, currentIds) {
  canvas.zoom('fit-viewport');
  if (canvas.zoom() >= READABLE) return;
  const shapes = currentIds.map((id) => registry.get(id)).filter(Boolean);
  const targets = shapes.length ? shapes : registry.filter((e) => e.type === 'bpmn:StartEvent');
  if (!targets.length) return;
  const left = Math.min(...targets.map((s) => s.x));
  const top = Math.min(...targets.map((s) => s.y));
  const right = Math.max(...targets.map((s) => s.x + s.width));
  const bottom = Math.max(...targets.map((s) => s.y + s.height));
  const { outer, inner } = canvas.viewbox();
  const width = outer.width / READABLE;
  const height = outer.height / READABLE;
  // centred on the steps, but not past the diagram's edges (no empty half screen)
  const clamp = (value, low, high) => Math.max(low, Math.min(value, Math.max(low, high)));
  const x = clamp((left + right) / 2 - width / 2, inner.x - 20, inner.x + inner.width + 20 - width);
  const y = clamp((top + bottom) / 2 - height / 2, inner.y - 20, inner.y + inner.height + 20 - height);
  canvas.viewbox({ x, y, width, height });
}

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
    focus(canvas, registry, diagram.open.map((task) => task.id));
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
