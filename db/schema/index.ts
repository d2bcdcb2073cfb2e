export * from "./enums";
export * from "./reference";
export * from "./users";
export * from "./tickets";
export * from "./audit";
export * from "./triage";
export * from "./stats";
export * from "./events";
