// Loaded in <head> on every page, before anything is drawn: marks the page as having JavaScript,
// so that CSS can say what needs it ("Preview needs JavaScript" only where there is none).
document.documentElement.classList.add("js");
