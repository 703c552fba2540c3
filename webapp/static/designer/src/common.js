// Helpers shared by the modeler and the case diagram.

export async function api(method, url, body, csrf, acceptStatuses = []) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf) headers['X-CSRFToken'] = csrf;
  const response = await fetch(url, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok && !acceptStatuses.includes(response.status)) {
    throw new Error((data && (data.error || data.message)) || `${response.status} ${response.statusText}`);
  }
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// bpmn-js's own words (palette, context pad, panel headings) through a dictionary.
export function chineseTranslate(messages) {
  return function translate(template, replacements) {
    const text = messages[template] || template;
    return text.replace(/{([^}]+)}/g, (_, key) => (replacements && key in replacements ? replacements[key] : `{${key}}`));
  };
}

// Deploy through the designer's endpoint. When the latest replay of exactly these drafts failed the
// server answers 409 `needs_confirmation`: the designer is told how many scenarios fail (in Chinese)
// and deploys only on an explicit yes, sent back as `confirm_failing_scenarios` (audited server-side).
// Resolves to the server's answer ({deployed} or {problems}) or {declined: true}.
export async function deployConfirmed(url, body, csrf, t) {
  let answer = await api('POST', url, body, csrf, [409, 422]);
  if (answer && answer.needs_confirmation) {
    const question = t('%(n)s scenarios fail on this draft (replay %(run)s). Deploy it anyway? Your confirmation is recorded in the audit log.')
      .replace('%(n)s', answer.failed).replace('%(run)s', `#${answer.run_id}`);
    if (!window.confirm(question)) return { declined: true, failed: answer.failed, run: answer.run };
    answer = await api('POST', url, { ...body, confirm_failing_scenarios: true }, csrf, [409, 422]);
  }
  if (answer && !answer.deployed && !answer.problems) throw new Error(answer.error || t('Not deployed.'));
  return answer;
}

// The region a deploy is for: '' (national) or a province/city prefix, from the page's select.
export function deployRegion(body) {
  const select = document.getElementById('deploy-region');
  if (select && select.value) body.region_prefix = select.value;
  return body;
}

// "name version n" for each deployed version, with the place of a regional variant.
export function deployedList(deployed, t) {
  return deployed.map((d) => `${d.name} ${t('version')} ${d.version}${d.place ? `（${d.place}${t('variant')}）` : ''}`).join('，');
}
