/** log(2π). */
export const LOG_2PI: number = Math.log(2 * Math.PI);
/** ½ log(2π). */
export const HALF_LOG_2PI: number = 0.5 * Math.log(2 * Math.PI);
/** The largest finite float32, (2 − 2⁻²³) · 2¹²⁷. */
export const FLOAT32_MAX = 3.4028234663852886e38;
