import { PALETTE, type Figure, type Row } from "../report/charts.js";

/** A panel of a response curve: a column of the rows, and its axis title (quantity, unit). */
export interface CurvePanel {
  field: string;
  title: [string, string];
}

/**
 * A lever's response curve: the objective's paired difference from the recommendation with its 95 %
 * interval as a band, then one panel per KPI, over the lever's values; dashed rules mark the default
 * and the recommended value. Rows need value, difference, low, high and the panels' fields.
 */
export function responseFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  lever: { title: string; log: boolean };
  marks: { default: number; recommended: number };
  panels: readonly CurvePanel[];
  data: Row[];
  columns: string[];
}): Figure {
  const x = {
    field: "value",
    type: "quantitative",
    title: opts.lever.title,
    scale: opts.lever.log ? ({ type: "log" } as const) : ({ type: "linear", zero: false } as const),
  } as const;
  const rules = [
    { datum: opts.marks.default, color: "#999", label: "default" },
    { datum: opts.marks.recommended, color: PALETTE[1]!, label: "recommended" },
  ].map((r) => ({
    mark: { type: "rule" as const, strokeDash: [4, 3], color: r.color, strokeWidth: 1.5 },
    encoding: { x: { datum: r.datum, type: "quantitative" as const } },
  }));
  const axisY = (title: [string, string]) => ({ title, axis: { tickCount: 4, minExtent: 52, maxExtent: 52 } });
  const top = {
    width: 520,
    height: 140,
    layer: [
      {
        mark: { type: "area" as const, opacity: 0.2, color: PALETTE[0] },
        encoding: {
          x,
          y: { field: "low", type: "quantitative" as const, ...axisY(["objective vs", "recommended"]) },
          y2: { field: "high" },
        },
      },
      {
        mark: { type: "line" as const, color: PALETTE[0], point: true },
        encoding: { x, y: { field: "difference", type: "quantitative" as const } },
      },
      { mark: { type: "rule" as const, color: "#333" }, encoding: { y: { datum: 0 } } },
      ...rules,
    ],
  };
  const panels = opts.panels.map((p) => ({
    width: 520,
    height: 80,
    layer: [
      {
        mark: { type: "line" as const, color: PALETTE[2], point: true },
        encoding: { x, y: { field: p.field, type: "quantitative" as const, scale: { zero: false }, ...axisY(p.title) } },
      },
      ...rules,
    ],
  }));
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: opts.columns,
    spec: { title: { text: opts.title, subtitle: opts.subtitle }, vconcat: [top, ...panels] },
  };
}

/**
 * Two KPIs as a lever moves over its range: one point per value, joined in the lever's order and
 * labelled with it; the default and the recommendation as diamonds. Rows need x, y, label, kind
 * ("sweep", "default" or "recommended") and order.
 */
export function leverTradeOffFigure(opts: {
  name: string;
  title: string;
  subtitle: string;
  caption: string;
  x: string;
  y: string;
  data: Row[];
}): Figure {
  const x = { field: "x", type: "quantitative", title: opts.x, scale: { zero: false } } as const;
  const y = { field: "y", type: "quantitative", title: opts.y, scale: { zero: false } } as const;
  const kinds = { domain: ["sweep", "default", "recommended"], range: [PALETTE[0]!, "#777", PALETTE[1]!] };
  return {
    name: opts.name,
    title: opts.title,
    caption: opts.caption,
    data: opts.data,
    columns: ["order", "label", "kind", "x", "y"],
    spec: {
      title: { text: opts.title, subtitle: opts.subtitle },
      width: 480,
      height: 320,
      layer: [
        {
          transform: [{ filter: "datum.kind == 'sweep'" }],
          mark: { type: "line", color: PALETTE[0], point: { filled: true, size: 40 } },
          encoding: { x, y, order: { field: "order" } },
        },
        {
          transform: [{ filter: "datum.kind == 'sweep'" }],
          mark: { type: "text", align: "left", dx: 6, dy: -6, fontSize: 10 },
          encoding: { x, y, text: { field: "label" } },
        },
        {
          transform: [{ filter: "datum.kind != 'sweep'" }],
          mark: { type: "point", filled: true, size: 120, shape: "diamond", stroke: "#000", strokeWidth: 1 },
          encoding: { x, y, color: { field: "kind", type: "nominal", scale: kinds, title: null } },
        },
      ],
    },
  };
}
