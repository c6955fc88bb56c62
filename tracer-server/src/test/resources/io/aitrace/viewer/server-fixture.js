export const fixture = "served from the class path";
