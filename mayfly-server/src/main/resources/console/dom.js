// Building the page: every piece of data goes in as text (textContent), never as markup, so nothing the broker
// serves can run or restyle the page.

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'onclick') node.addEventListener('click', value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table from column titles and rows of cells (each a string or a node). */
export function table(id, titles, rows) {
  return el('table', { id },
    el('thead', {}, el('tr', {}, titles.map(t => el('th', { text: t })))),
    el('tbody', {}, rows));
}

/** Replaces what a container shows. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

export function list(values) {
  return (values || []).join(' ');
}
