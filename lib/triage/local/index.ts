/**
 * Public API of the local (offline, pure TypeScript) ticket-category classifier.
 *
 *   const model = loadLocalModel();                 // once per process
 *   const text = normalizeTicketText({ title, description });
 *   model.predict(text)  -> { label, confidence, scores }
 *   model.learn([{ text, label }])                   // agent corrections, new slugs allowed
 *   model.embed(text)    -> Float32Array(128), L2-normalised
 */
export { normalizeTicketText } from "./normalize";
export { DATASET_LABEL_TO_SLUG, BUILTIN_SLUGS, toSlug } from "./labels";
export {
  LocalCategoryModel,
  loadLocalModel,
  defaultModelPath,
  DEFAULT_MEMORY_BLEND,
  type LocalModelPrediction,
  type LabelledText,
  type MemoryBlend,
} from "./model";
export { trainLocalModel, DEFAULT_COMPONENTS, type TrainOptions, type ComponentSpec } from "./train";
export * as metrics from "./metrics";
