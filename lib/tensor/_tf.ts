// The one import of TensorFlow.js for elbo's tensor, model and training
// layers. tfjs prints a banner advertising tfjs-node whenever its CPU backend
// first runs and it believes it is in Node.js; elbo runs in Deno and the
// browser, where the advice does not apply, so the flag is cleared as soon as
// tfjs is loaded, before any tensor exists.
import * as tf from "@tensorflow/tfjs";

tf.env().set("IS_NODE", false);

export { tf };
