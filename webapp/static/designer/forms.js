// The form editor's live preview: the server renders the schema with the same macros officials see.
(function () {
  const form = document.getElementById('form-editor');
  if (!form) return;
  const textarea = document.getElementById('schema');
  const preview = document.getElementById('preview');
  const problems = document.getElementById('preview-problems');
  let timer = null;
  let sent = 0;

  async function refresh() {
    const ticket = ++sent;
    const body = new FormData(form);
    const response = await fetch(form.dataset.preview, { method: 'POST', body, credentials: 'same-origin',
      headers: { 'X-CSRFToken': body.get('csrf_token'), Accept: 'application/json' } });
    if (ticket !== sent || !response.ok) return;
    const answer = await response.json();
    if (answer.html) preview.innerHTML = answer.html;
    problems.replaceChildren(...answer.problems.map((p) => {
      const li = document.createElement('li');
      li.textContent = p;
      return li;
    }));
    form.dataset.valid = String(answer.problems.length === 0);
    preview.dataset.rendered = String(ticket);
  }

  // The preview is for looking only; a listener here, since the CSP forbids inline handlers.
  preview.addEventListener('submit', (event) => event.preventDefault());

  textarea.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
