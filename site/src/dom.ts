// SPDX-License-Identifier: Apache-2.0
/** Tiny DOM helpers (no framework: the page is a few tables and plots). */
export function el<K extends keyof HTMLElementTagNameMap>(
    tag: K, attrs: Record<string, string> = {},
    ...children: Array<Node|string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node == null) {
    throw new Error(`the page has no #${id}`);
  }
  return node as T;
}
