// the report kit's chart helpers, shared by every hasm report with charts
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

// a card's title and a line of text where a chart would have nothing to draw
function note(id, title, text) {
  const el = document.getElementById(id);
  const h = document.createElement("h2");
  h.textContent = title;
  const p = document.createElement("div");
  p.className = "note";
  p.textContent = text;
  el.append(h, p);
}
