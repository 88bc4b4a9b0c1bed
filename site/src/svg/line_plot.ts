// SPDX-License-Identifier: Apache-2.0
/**
 * A line plot in plain SVG: axes, ticks, lines, optional dots, vertical
 * guides and labelled marks. Hand-written because the page needs two small
 * static plots; a plotting library would outweigh the rest of the page.
 */
import {makeScale, tickLabel} from './scale';

const SVG = 'http://www.w3.org/2000/svg';

export interface Series {
  id: string;
  label: string;
  points: Array<[number, number]>;
  color: string;
  dash?: string;
  width?: number;
  /** Dots instead of a line (e.g. the raw batch statistics). */
  dots?: boolean;
}

export interface Guide {
  x: number;
  label: string;
  color: string;
}

export interface Mark {
  x: number;
  y: number;
  label: string;
  color: string;
  /** Where the label sits relative to the point. */
  anchor?: 'start'|'end';
  dy?: number;
}

export interface PlotSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: {domain: [number, number], log?: boolean};
  y: {domain: [number, number], log?: boolean};
  series: Series[];
  guides?: Guide[];
  marks?: Mark[];
  width?: number;
  height?: number;
}

const MARGIN = {left: 62, right: 16, top: 30, bottom: 44};

function node(tag: string, attrs: Record<string, string|number>, text?: string): SVGElement {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    n.setAttribute(k, String(v));
  }
  if (text != null) {
    n.textContent = text;
  }
  return n;
}

export function linePlot(spec: PlotSpec): SVGSVGElement {
  const width = spec.width ?? 560;
  const height = spec.height ?? 300;
  const x = makeScale(spec.x.domain, [MARGIN.left, width - MARGIN.right], spec.x.log ?? false);
  const y = makeScale(spec.y.domain, [height - MARGIN.bottom, MARGIN.top], spec.y.log ?? false);
  const svg = node('svg', {
    id: spec.id, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': spec.title, class: 'plot',
  }) as SVGSVGElement;
  svg.append(node('text', {x: MARGIN.left, y: 18, class: 'plot-title'}, spec.title));
  const [x0, x1] = [MARGIN.left, width - MARGIN.right];
  const [y0, y1] = [height - MARGIN.bottom, MARGIN.top];
  for (const t of y.ticks) {
    svg.append(node('line', {x1: x0, x2: x1, y1: y(t), y2: y(t), class: 'grid'}));
    svg.append(node('text', {x: x0 - 6, y: y(t) + 4, class: 'tick', 'text-anchor': 'end'},
                    tickLabel(t, y.log)));
  }
  for (const t of x.ticks) {
    svg.append(node('line', {x1: x(t), x2: x(t), y1: y0, y2: y1, class: 'grid'}));
    svg.append(node('text', {x: x(t), y: y0 + 16, class: 'tick', 'text-anchor': 'middle'},
                    tickLabel(t, x.log)));
  }
  svg.append(node('rect', {x: x0, y: y1, width: x1 - x0, height: y0 - y1, class: 'frame'}));
  svg.append(node('text', {x: (x0 + x1) / 2, y: height - 8, class: 'axis-label',
                           'text-anchor': 'middle'}, spec.xLabel));
  svg.append(node('text', {x: 14, y: (y0 + y1) / 2, class: 'axis-label', 'text-anchor': 'middle',
                           transform: `rotate(-90 14 ${(y0 + y1) / 2})`}, spec.yLabel));
  for (const g of spec.guides ?? []) {
    svg.append(node('line', {x1: x(g.x), x2: x(g.x), y1: y0, y2: y1, stroke: g.color,
                             class: 'guide'}));
    svg.append(node('text', {x: x(g.x) + 4, y: y1 + 12, fill: g.color, class: 'guide-label'},
                    g.label));
  }
  const clip = `${spec.id}-clip`;
  const defs = node('defs', {});
  const clipPath = node('clipPath', {id: clip});
  clipPath.append(node('rect', {x: x0, y: y1, width: x1 - x0, height: y0 - y1}));
  defs.append(clipPath);
  svg.append(defs);
  for (const s of spec.series) {
    const group = node('g', {
      'data-series': s.id, 'data-points': JSON.stringify(s.points), 'clip-path': `url(#${clip})`,
    });
    if (s.dots) {
      for (const [px, py] of s.points) {
        group.append(node('circle', {cx: x(px), cy: y(py), r: 2.5, fill: s.color}));
      }
    } else {
      const d = s.points.map(([px, py]) => `${x(px).toFixed(2)},${y(py).toFixed(2)}`).join(' ');
      group.append(node('polyline', {
        points: d, fill: 'none', stroke: s.color, 'stroke-width': s.width ?? 2,
        'stroke-dasharray': s.dash ?? '', 'stroke-linejoin': 'round',
      }));
    }
    svg.append(group);
  }
  for (const m of spec.marks ?? []) {
    const anchor = m.anchor ?? 'start';
    svg.append(node('circle', {cx: x(m.x), cy: y(m.y), r: 5, fill: 'none', stroke: m.color,
                               'stroke-width': 2, class: 'mark'}));
    svg.append(node('text', {x: x(m.x) + (anchor === 'start' ? 9 : -9), y: y(m.y) + (m.dy ?? 4),
                             fill: m.color, 'text-anchor': anchor, class: 'mark-label'}, m.label));
  }
  return svg;
}

/** An HTML legend: a short sample of each line and its label. */
export function legend(series: Series[]): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'legend';
  for (const s of series) {
    const item = document.createElement('li');
    const sample = node('svg', {width: 28, height: 10}) as SVGSVGElement;
    sample.append(s.dots ?
        node('circle', {cx: 14, cy: 5, r: 3, fill: s.color}) :
        node('line', {x1: 1, x2: 27, y1: 5, y2: 5, stroke: s.color, 'stroke-width': s.width ?? 2,
                      'stroke-dasharray': s.dash ?? ''}));
    item.append(sample, document.createTextNode(` ${s.label}`));
    list.append(item);
  }
  return list;
}
