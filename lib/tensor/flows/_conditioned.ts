// A MADE flow whose shift and scale also depend on a context: the step of an
// inverse autoregressive flow conditioned on what a VAE's encoder emits
// (Kingma et al. 2016), computing with variables the model keeps and names.
import type { tf } from "../_tf.ts";
import type { MadeLayout } from "./_made.ts";
import { MaskedAutoregressiveFlow } from "./masked_autoregressive.ts";
import { makeView } from "./vector_flow.ts";

/**
 * The MaskedAutoregressiveFlow of `layout` computing with `params` (in the
 * order of `madeVariables(layout, …)`, the context's weights last) and the
 * context `context` [n, C], which enters MADE's first hidden layer and its
 * outputs unmasked — so every coordinate's shift and scale depend on it,
 * the first's too (its outputs see no hidden unit):
 *
 * ```text
 * a₁ = x W₁ ⊙ M₁ + b₁ + h V,   out = a_L W_L ⊙ M_L + b_L + h U,   h = context row of the point
 * ```
 *
 * Points [..., n, D] meet context row j at index j of their second-last
 * axis. A view: it owns nothing, and `dispose()` frees nothing. `new
 * Invert(…)` of it is one IAF step.
 */
export function conditionedMaf(
  layout: MadeLayout,
  params: readonly tf.Tensor[],
  context: tf.Tensor2D,
): MaskedAutoregressiveFlow {
  return makeView(
    { layout, context },
    params,
    () => new MaskedAutoregressiveFlow({ eventSize: layout.eventSize }),
  );
}
