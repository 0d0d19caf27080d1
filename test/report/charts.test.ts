import { describe, expect, it } from "vitest";
import { lorenzFigure, parallelFigure, renderFigure, timeSeriesFigure, tradeOffFigure, type Figure } from "../../src/report/charts.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** The mark groups vega draws data into (axes, legends and titles are other roles). */
function markElements(svg: string): number {
  const groups = svg.match(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>(.*?)<\/g>/gs) ?? [];
  return groups.reduce((n, g) => n + (g.match(/<(path|line|rect|circle|text)\b/g)?.length ?? 0), 0);
}

const lorenz = (name: string): Figure =>
  lorenzFigure({
    name,
    title: "Rewards",
    subtitle: "Gini",
    caption: "c",
    policies: ["a", "b"],
    data: [
      { policy: "a", proverShare: 0, rewardShare: 0 },
      { policy: "a", proverShare: 0.5, rewardShare: 0.2 },
      { policy: "a", proverShare: 1, rewardShare: 1 },
      { policy: "b", proverShare: 0, rewardShare: 0 },
      { policy: "b", proverShare: 1, rewardShare: 1 },
    ],
  });

describe("renderFigure", () => {
  it("renders SVG with marks, titles and axis titles, a PNG and the data as CSV", async () => {
    const f = await renderFigure(lorenz("lorenz"));
    expect(f.svg.startsWith("<svg")).toBe(true);
    expect(markElements(f.svg)).toBeGreaterThan(2);
    expect(f.svg).toContain(">Rewards</text>");
    expect(f.svg).toContain("cumulative share of rewards (%)");
    expect([...f.png.subarray(0, 4)]).toEqual(PNG_SIGNATURE);
    expect(f.png.length).toBeGreaterThan(5000);
    expect(f.csv.split("\n")[0]).toBe("policy,proverShare,rewardShare");
    expect(f.csv.trim().split("\n")).toHaveLength(6);
  });

  it("gives the same bytes for the same figure", async () => {
    const a = await renderFigure(lorenz("one"));
    const b = await renderFigure(lorenz("one"));
    expect(b.svg).toBe(a.svg);
    expect(Buffer.from(b.png).equals(Buffer.from(a.png))).toBe(true);
  });

  it("scopes element ids (a colour gradient's) by figure, so charts can share one page", async () => {
    const parallel = (name: string) =>
      renderFigure(
        parallelFigure({
          name,
          title: "P",
          subtitle: "S",
          caption: "c",
          parameters: ["p", "q"],
          data: [1, 2].flatMap((trial) =>
            ["p", "q"].map((parameter, i) => ({ trial, score: trial, parameter, value: i, position: i / 2, line: "trial" })),
          ),
        }),
      );
    const ids = (svg: string) => [...svg.matchAll(/id="([^"]+)"/g)].map((m) => m[1]!);
    const [one, two] = [(await parallel("one")).svg, (await parallel("two")).svg];
    expect(ids(one).length).toBeGreaterThan(0);
    expect(ids(one).every((id) => id.startsWith("one-"))).toBe(true);
    expect(ids(two).filter((id) => ids(one).includes(id))).toEqual([]);
    const refs = [...one.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ids(one)).toContain(ref);
  });

  it("draws emergency shading and one line per policy and panel in a time series", async () => {
    const data = [0, 1, 2, 3].flatMap((epoch) =>
      ["a", "b"].map((policy) => ({
        policy,
        epoch,
        hourStart: epoch * 0.32,
        hour: (epoch + 1) * 0.32,
        emergencyShare: policy === "a" && epoch === 2 ? 0.5 : 0,
        backlogTx: epoch * 10,
        activeProvers: 5,
      })),
    );
    const f = await renderFigure(
      timeSeriesFigure({
        name: "ts",
        title: "Series",
        caption: "c",
        policies: ["a", "b"],
        panels: [
          { field: "backlogTx", title: ["backlog", "(tx)"] },
          { field: "activeProvers", title: ["provers", "(count)"] },
        ],
        data,
        columns: ["policy", "epoch", "hourStart", "hour", "emergencyShare", "backlogTx", "activeProvers"],
      }),
    );
    expect(f.svg.match(/role-mark[^"]*"[^>]*><path/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    // One shaded epoch per panel.
    expect(f.svg.match(/class="mark-rect role-mark[^>]*>(<path[^>]*>)<\/g>/g)).toHaveLength(2);
    expect(f.svg).toContain("time since start (h)");
  });

  it("leaves cloud points below yMin out of a trade-off chart and keeps highlighted ones", async () => {
    const data = [
      { series: "s", x: 1, y: 0.2, front: false, label: null },
      { series: "s", x: 2, y: 0.99, front: true, label: null },
      { series: "s", x: 3, y: 0.5, front: false, label: "picked" },
    ];
    const render = (yMin?: number) =>
      renderFigure(
        tradeOffFigure({
          name: "t",
          title: "T",
          subtitle: "S",
          caption: "c",
          x: { field: "x", title: "x (USD)" },
          y: { field: "y", title: "y (share)" },
          series: ["s"],
          labels: true,
          ...(yMin === undefined ? {} : { yMin }),
          data,
          columns: ["series", "x", "y", "front", "label"],
        }),
      );
    const cloud = (svg: string) => svg.match(/class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/s)![1]!.match(/<path/g)?.length ?? 0;
    expect(cloud((await render()).svg)).toBe(2);
    const zoomed = (await render(0.4)).svg;
    expect(cloud(zoomed)).toBe(1);
    expect(zoomed).toContain(">picked</text>");
  });
});
