// Imported first by tests of timing with Dawn's timestamp quantization kept (65.5 µs ticks, as in
// a browser): the WebGPU device reads JITSCOPE_TIMESTAMP_QUANTIZATION when it is created.
process.env.JITSCOPE_TIMESTAMP_QUANTIZATION = "1";
