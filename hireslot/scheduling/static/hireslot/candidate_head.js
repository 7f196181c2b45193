// Runs in <head> before the first paint: with a script the booker replaces the plain list.
document.documentElement.classList.replace("no-js", "js");
