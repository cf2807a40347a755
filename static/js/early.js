// Runs in <head>, before the first paint: tells the CSS that scripts run, so a chart's
// box is reserved at its final size and its table starts folded (archive.css,
// ".js .chart"). Without JavaScript the class never appears and the tables show.
document.documentElement.classList.add("js");
