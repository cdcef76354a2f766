// Imported first by tests that need every dispatch timed (as `--timing every`): the WebGPU backend
// reads JITSCOPE_TIMING when it is created. With 1-in-N sampling under load, a kernel can keep as
// few samples as the outliers a test injects, and no robust rule can tell which half is wrong.
process.env.JITSCOPE_TIMING = "every";
