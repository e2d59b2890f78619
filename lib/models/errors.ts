// The errors a model or its training raises, in one place for models.ts.
export { type BrokenTerm, NonFiniteError } from "../tensor/non_finite_error.ts";
export { CheckpointError } from "../io/checkpoint_error.ts";
