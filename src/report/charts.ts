import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { toCsv } from "../results/csv.js";

export type Row = Record<string, number | string | boolean | null>;

/** A vega-lite spec of any kind (single, layer, concat) without its data. */
type SpecWithoutData = TopLevelSpec extends infer S ? (S extends unknown ? Omit<S, "data"> : never) : never;

/** A chart: a vega-lite spec over `data` (inlined when rendered), and the reading printed under it. */
export interface Figure {
  /** File stem under figures/: letters, digits and dashes. */
  name: string;
  title: string;
  /** A sentence or two on what the chart shows and what to read from it. */
  caption: string;
  /** A vega-lite spec without `data`: the rows are attached when rendered. */
  spec: SpecWithoutData;
  data: Row[];
  /** The CSV columns of `data`, in order. */
  columns: string[];
}

export interface RenderedFigure extends Figure {
  svg: string;
  png: Uint8Array;
  csv: string;
}

/** Categorical colours; the first policy of a comparison is always the first colour. */
export const PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d", "#79706e", "#ff9da6"];

const FONT = "DejaVu Sans";

const CONFIG = {
  font: `${FONT}, Verdana, sans-serif`,
  background: "white",
  padding: 8,
  title: { fontSize: 14, anchor: "start", subtitleFontSize: 11, subtitleColor: "#444", offset: 10 },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: "normal", gridColor: "#eee" },
  legend: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: "normal", labelLimit: 280 },
  view: { stroke: "#ccc" },
} as const;

/** SVG (vega, no browser), PNG (resvg, 2x) and CSV of a figure. Same data, same bytes. */
export async function renderFigure(figure: Figure): Promise<RenderedFigure> {
  const spec = { ...figure.spec, data: { values: figure.data }, config: CONFIG } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none", logLevel: vega.Error });
  const svg = scopeIds(await view.toSVG(), figure.name);
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: "zoom", value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  })
    .render()
    .asPng();
  return { ...figure, svg, png, csv: toCsv(figure.data, figure.columns) };
}

/** Vega numbers clip paths and gradients from 1 in every chart: prefix them so charts can share one HTML page. */
function scopeIds(svg: string, name: string): string {
  return svg.replace(/id="([^"]+)"/g, `id="${name}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${name}-$1)`);
}

/** Shares and positions within bounds run from 0 to 1. */
const UNIT_DOMAIN: { domain: number[] } = { domain: [0, 1] };

function colorScale(domain: readonly string[]) {
  return { domain: [...domain], range: domain.map((_, i) => PALETTE[i % PALETTE.length]!) };
}

export interface SeriesPanel {
  field: string;
  /** Axis title: the quantity, then its unit, on two lines. */
  title: [string, string];
}

/**
 * Time series of several policies, one panel per field, over hours; epochs in emergency mode are
 * shaded in the policy's colour. `data` rows need policy, hour, hourStart, emergencyShare and the fields.
 */
export function timeSeriesFigure(opts: {
  name: string;
  title: string;
  caption: string;
  policies: readonly string[];
  panels: readonly SeriesPanel[];
  data: Row[];
  columns: string[];
}): Figure {
  const color = colorScale(opts.policies);
  const x = { field: "hour", type: "quantitative", title: "time since start (h)" } as const;
  // The shading layer shares the legend: draw its symbols as the lines'.
  const legend = { title: "policy", symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 2 } as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: opts.columns,
    spec: {
      title: { text: opts.title, subtitle: "Shaded: epochs in emergency mode, in the colour of the policy." },
      vconcat: opts.panels.map((p, i) => ({
        width: 620,
        height: 90,
        layer: [
          {
            transform: [{ filter: "datum.emergencyShare > 0" }],
            mark: { type: "rect", opacity: 0.18 },
            encoding: {
              x: { ...x, field: "hourStart" },
              x2: { field: "hour" },
              color: { field: "policy", type: "nominal", scale: color, legend },
            },
          },
          {
            mark: { type: "line", strokeWidth: 1.4, interpolate: "step-before" },
            encoding: {
              x: { ...x, axis: i === opts.panels.length - 1 ? {} : { title: null } },
              // A fixed axis width keeps the panels' plots aligned whatever their labels.
              y: { field: p.field, type: "quantitative", title: p.title, axis: { tickCount: 4, minExtent: 48, maxExtent: 48 } },
              color: { field: "policy", type: "nominal", scale: color, legend },
            },
          },
        ],
      })),
    },
  };
}

/** Lorenz curves of rewards over provers, one per policy, with the line of equality. */
export function lorenzFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  policies: readonly string[];
  data: Row[];
}): Figure {
  const color = colorScale(opts.policies);
  const share = (field: string, title: string) =>
    ({ field, type: "quantitative", title, axis: { format: ".0%" }, scale: UNIT_DOMAIN }) as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: ["policy", "proverShare", "rewardShare"],
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 360,
      height: 360,
      layer: [
        {
          data: {
            values: [
              { proverShare: 0, rewardShare: 0 },
              { proverShare: 1, rewardShare: 1 },
            ],
          },
          mark: { type: "line", strokeDash: [4, 4], color: "#888" },
          encoding: { x: { field: "proverShare", type: "quantitative" }, y: { field: "rewardShare", type: "quantitative" } },
        },
        {
          mark: { type: "line", strokeWidth: 1.6, point: { size: 14 } },
          encoding: {
            x: share("proverShare", "cumulative share of provers, least rewarded first (%)"),
            y: share("rewardShare", "cumulative share of rewards (%)"),
            color: { field: "policy", type: "nominal", scale: color, title: "policy" },
            order: { field: "proverShare" },
          },
        },
      ],
    },
  };
}

/**
 * A trade-off: a cloud of points (trials or episodes) by series, an optional front (rows with
 * front = true, joined by cost), and labelled highlighted points (rows with a label).
 */
export function tradeOffFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  x: { field: string; title: string; format?: string };
  y: { field: string; title: string; format?: string };
  series: readonly string[];
  /** One colour per series (default: the palette). */
  colors?: readonly string[];
  /** Cloud points below this y are left out, to show the region that matters. */
  yMin?: number;
  /** Write each highlighted point's label beside it (off when the colours already name them). */
  labels: boolean;
  data: Row[];
  columns: string[];
}): Figure {
  const axis = (a: { format?: string }) => (a.format ? { format: a.format } : {});
  const scale = opts.colors ? { domain: [...opts.series], range: [...opts.colors] } : colorScale(opts.series);
  const cloud = opts.yMin === undefined ? "datum.label == null" : `datum.label == null && datum['${opts.y.field}'] >= ${opts.yMin}`;
  const x = { field: opts.x.field, type: "quantitative", title: opts.x.title, scale: { zero: false }, axis: axis(opts.x) } as const;
  const y = { field: opts.y.field, type: "quantitative", title: opts.y.title, scale: { zero: false }, axis: axis(opts.y) } as const;
  const color = { field: "series", type: "nominal", scale, title: null } as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: opts.columns,
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 520,
      height: 340,
      layer: [
        {
          transform: [{ filter: cloud }],
          mark: { type: "point", filled: true, size: 28, opacity: 0.45 },
          encoding: { x, y, color },
        },
        {
          transform: [{ filter: "datum.front" }],
          mark: { type: "line", color: "#222", strokeWidth: 1.2, strokeDash: [5, 3] },
          encoding: { x, y, order: { field: opts.x.field } },
        },
        {
          transform: [{ filter: "datum.label != null" }],
          mark: { type: "point", filled: true, size: 110, stroke: "#000", strokeWidth: 1, opacity: 1 },
          encoding: { x, y, color, shape: { value: "diamond" } },
        },
        {
          transform: [{ filter: opts.labels ? "datum.label != null" : "false" }],
          mark: { type: "text", align: "left", dx: 8, dy: -6, fontSize: 10 },
          encoding: { x, y, text: { field: "label" } },
        },
      ],
    },
  };
}

/** Points by trial with a best-so-far step line: rows need trial, score and best. */
export function progressFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  yTitle: string;
  data: Row[];
}): Figure {
  const x = { field: "trial", type: "quantitative", title: "trial (evaluation number)" } as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: ["trial", "generation", "score", "best"],
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 560,
      height: 260,
      layer: [
        {
          mark: { type: "point", filled: true, size: 22, opacity: 0.5, color: PALETTE[0] },
          encoding: { x, y: { field: "score", type: "quantitative", title: opts.yTitle, scale: { zero: false } } },
        },
        {
          mark: { type: "line", interpolate: "step-after", color: PALETTE[1], strokeWidth: 2 },
          encoding: { x, y: { field: "best", type: "quantitative" } },
        },
      ],
    },
  };
}

/**
 * Horizontal bars of a signed change per category (and sub-category in `group`), with a rule at 0;
 * rows with `faded` true are drawn lighter.
 */
export function changeBarsFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  category: { field: string; title: string | null; sort: string[] };
  group: { field: string; domain: string[] };
  x: { field: string; title: string };
  /** A boolean field: rows where it is true are drawn light. */
  faded: string;
  data: Row[];
  columns: string[];
}): Figure {
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: opts.columns,
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 480,
      height: { step: 9 },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            y: {
              field: opts.category.field,
              type: "nominal",
              title: opts.category.title,
              sort: opts.category.sort,
              axis: { labelLimit: 400 },
            },
            yOffset: { field: opts.group.field, type: "nominal", sort: opts.group.domain },
            x: { field: opts.x.field, type: "quantitative", title: opts.x.title, scale: { type: "symlog" } },
            color: { field: opts.group.field, type: "nominal", scale: colorScale(opts.group.domain), title: null },
            opacity: { condition: { test: `datum.${opts.faded}`, value: 0.35 }, value: 1 },
          },
        },
        { mark: { type: "rule", color: "#333" }, encoding: { x: { datum: 0 } } },
      ],
    },
  };
}

/** Mean differences with 95 % intervals per category (a forest plot), with a rule at 0. */
export function intervalsFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  category: { field: string; title: string | null; domain: string[] };
  /** The colour scale's domain, a superset of the categories, to keep each policy's colour across charts. */
  colorDomain: string[];
  x: { title: string };
  data: Row[];
}): Figure {
  const y = { field: opts.category.field, type: "nominal", title: opts.category.title, sort: opts.category.domain } as const;
  const x = { field: "mean", type: "quantitative", title: opts.x.title } as const;
  const color = { field: opts.category.field, type: "nominal", scale: colorScale(opts.colorDomain), legend: null } as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: [opts.category.field, "mean", "low", "high", "n"],
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 560,
      height: { step: 28 },
      layer: [
        { mark: { type: "rule", color: "#333", strokeDash: [3, 3] }, encoding: { x: { datum: 0 } } },
        {
          mark: { type: "rule", strokeWidth: 2 },
          encoding: { y, x: { field: "low", type: "quantitative" }, x2: { field: "high" }, color },
        },
        { mark: { type: "point", filled: true, size: 70 }, encoding: { y, x, color } },
      ],
    },
  };
}

/** Lines across parameter axes (position within bounds), one per trial, coloured by score; the defaults dashed. */
export function parallelFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  parameters: string[];
  data: Row[];
}): Figure {
  const x = {
    field: "parameter",
    type: "nominal",
    sort: opts.parameters,
    title: null,
    axis: { labelAngle: -40, labelLimit: 400 },
  } as const;
  const y = {
    field: "position",
    type: "quantitative",
    title: "position within bounds (0 = lower, 1 = upper)",
    scale: UNIT_DOMAIN,
  } as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: ["trial", "score", "parameter", "value", "position", "line"],
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: { step: 26 },
      height: 300,
      layer: [
        {
          transform: [{ filter: "datum.line == 'trial'" }],
          mark: { type: "line", strokeWidth: 1, opacity: 0.7 },
          encoding: {
            x,
            y,
            detail: { field: "trial", type: "nominal" },
            color: { field: "score", type: "quantitative", scale: { scheme: "viridis" }, title: "score" },
          },
        },
        {
          transform: [{ filter: "datum.line != 'trial'" }],
          mark: { type: "line", strokeWidth: 2.4 },
          encoding: {
            x,
            y,
            detail: { field: "line", type: "nominal" },
            strokeDash: {
              field: "line",
              type: "nominal",
              scale: {
                domain: ["recommended", "defaults"],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
              title: null,
            },
            color: { value: "#d62728" },
          },
        },
      ],
    },
  };
}

/** Default and recommended value of each parameter as positions within its bounds, joined by a rule. */
export function boundsFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  parameters: string[];
  data: Row[];
}): Figure {
  const y = { field: "parameter", type: "nominal", sort: opts.parameters, title: null, axis: { labelLimit: 400 } } as const;
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: ["parameter", "unit", "scale", "lower", "upper", "default", "recommended", "defaultPosition", "recommendedPosition"],
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 420,
      height: { step: 15 },
      layer: [
        {
          mark: { type: "rule", color: "#999" },
          encoding: {
            y,
            x: {
              field: "defaultPosition",
              type: "quantitative",
              scale: UNIT_DOMAIN,
              title: "position within bounds (0 = lower, 1 = upper bound)",
            },
            x2: { field: "recommendedPosition" },
          },
        },
        {
          transform: [{ fold: ["defaultPosition", "recommendedPosition"], as: ["which", "position"] }],
          mark: { type: "point", filled: true, size: 50 },
          encoding: {
            y,
            x: { field: "position", type: "quantitative", scale: UNIT_DOMAIN },
            color: {
              field: "which",
              type: "nominal",
              scale: { domain: ["defaultPosition", "recommendedPosition"], range: ["#999", PALETTE[0]!] },
              legend: { title: null, labelExpr: "datum.label == 'defaultPosition' ? 'default' : 'recommended'" },
            },
          },
        },
      ],
    },
  };
}
