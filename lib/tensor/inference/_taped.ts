// One gradient evaluation that leaves nothing allocated when it fails.
import { tf } from "../_tf.ts";
import { NonFiniteError } from "../non_finite_error.ts";
import type { StepTerms } from "./_objective.ts";
import { targetAt } from "./_target.ts";
import type { TargetLogProb } from "./target_log_prob.ts";

/** What {@linkcode taped} returns: the caller disposes all three. */
export interface Taped {
  /** The gradient of each variable, in their order (undefined where the loss does not use one). */
  grads: (tf.Tensor | undefined)[];
  /** The loss reported. */
  reported: tf.Scalar;
  /** log p(z) at the step's draws. */
  lp: tf.Tensor;
}

/**
 * Frees the tensors a gradient tape saved for its backward pass, when the
 * tape was abandoned by an exception (tfjs frees them only after a backward
 * pass that completes). Left alone inside an outer gradient, which owns it.
 */
function freeAbandonedTape(): void {
  const state = tf.engine().state;
  if (state.gradientDepth !== 0 || state.activeTape == null) return;
  for (const node of state.activeTape) tf.dispose(node.saved ?? []);
  state.activeTape = null as unknown as typeof state.activeTape;
}

/**
 * The gradients of `terms().loss` in `variables`, with the reported loss and
 * log p(z) kept. If the forward or the backward pass throws (a failing
 * target, an op without a gradient), every tensor it made is freed, those
 * saved by the tape included, and the error is rethrown.
 */
export function taped(variables: tf.Variable[], terms: () => StepTerms): Taped {
  return freeingOnFailure((keep) => {
    const { grads, value } = tf.tidy(() =>
      tf.variableGrads(() => {
        const t = terms();
        // (A clone: the target may return a tensor of its own, not ours to free.)
        keep(t.reported, tf.clone(t.lp));
        return t.loss;
      }, variables)
    );
    return { grads: variables.map((v) => grads[v.name]), value };
  });
}

/**
 * The gradient of Σᵢ target(z)ᵢ in the draws `z` `[n, d]`, with log p(z)
 * kept: the tape of a step whose surrogate is differentiated by hand.
 * Frees what it made if the target or its gradient throws.
 */
export function tapedAt(
  what: string,
  target: TargetLogProb,
  z: tf.Tensor,
): { gradient: tf.Tensor; lp: tf.Tensor } {
  const { grads: [gradient], reported, lp } = freeingOnFailure((keep) => {
    // (No gradient is allowed: a target that ignores z gives a zero one.)
    const { value, grads } = tf.tidy(() =>
      tf.engine().gradients(
        () => {
          const lp = targetAt(what, target, z);
          const total = tf.sum(lp) as tf.Scalar;
          keep(total, tf.clone(lp));
          return total;
        },
        [z],
        undefined,
        true,
      )
    );
    return { grads: [grads[0] ?? tf.zerosLike(z)], value };
  });
  reported.dispose();
  return { gradient: gradient!, lp };
}

/** Runs a taped pass; on failure frees the tape's saved tensors and what was kept. */
function freeingOnFailure(
  pass: (keep: (reported: tf.Tensor, lp: tf.Tensor) => void) => {
    grads: (tf.Tensor | undefined)[];
    value: tf.Tensor;
  },
): Taped {
  let kept: tf.Tensor[] = [];
  try {
    const { grads, value } = pass((reported, lp) => {
      kept = [tf.keep(reported), tf.keep(lp)];
    });
    if (value !== kept[0]) value.dispose(); // (the reported loss may be the loss itself)
    return { grads, reported: kept[0] as tf.Scalar, lp: kept[1]! };
  } catch (e) {
    freeAbandonedTape();
    tf.dispose(kept);
    throw e;
  }
}

/**
 * The error for a step whose loss is `loss` (not finite): a target that
 * returned a non-finite log-density is named with the draw, else the loss.
 */
export async function nonFiniteLoss(
  lp: tf.Tensor,
  step: number,
  loss: number,
): Promise<NonFiniteError> {
  const values = await lp.data();
  const i = values.findIndex((v) => !Number.isFinite(v));
  if (i < 0) return new NonFiniteError("loss", step, loss, "fitSurrogatePosterior");
  const v = values[i]!;
  const why = v === -Infinity
    ? "q puts mass where the target has none: is a bijector onto its support missing?"
    : "log p(z, data) must be finite, or −∞ where z is impossible";
  return new NonFiniteError(
    "targetLogProb",
    step,
    v,
    `fitSurrogatePosterior: targetLogProb returned ${v} at draw ${i} of ${values.length}; ${why}`,
  );
}
