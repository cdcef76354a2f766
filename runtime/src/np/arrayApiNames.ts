// Names jax.numpy also answers to (the Python array API standard's, and NumPy's older ones), each
// the np function it names: absolute, amax, amin, true_divide, pow, concat, permute_dims. A port
// of code that spells them so runs unchanged.

import { abs, divide, power } from "./elementwise.js";
import { max, min } from "./reductions.js";
import { concatenate, transpose } from "./shape.js";

export const absolute = abs;
export const amax = max;
export const amin = min;
export const true_divide = divide;
export const pow = power;
export const concat = concatenate;
export const permute_dims = transpose;
