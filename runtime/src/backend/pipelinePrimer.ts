// A driver may compile a pipeline's shader at its first dispatch rather than at
// createComputePipeline: lavapipe does (Mesa compiles the variant when the pipeline is first bound
// on the queue), so with a cold shader cache a kernel's first timed dispatch read the compile as
// GPU time (a small matmul dispatched once: 3.7 s). Before a pipeline's first timed dispatch the
// batch encodes an empty dispatch of it: an indirect dispatch of zero workgroups (a direct one of
// zero draws a Dawn warning), so the compile lands before the kernel's timestamps and nothing
// runs. With timestamps it gets a timestamped pass of its own, whose span is the driver's compile
// (Report.driverCompile); without, it shares the untimed pass. Only while the profiler times
// dispatches; a driver that compiled at creation pays one empty dispatch per pipeline.

const INDIRECT = 0x100;

export class PipelinePrimer {
  private readonly primed = new WeakSet<GPUComputePipeline>();
  private zeroArgs: GPUBuffer | null = null;
  /** Empty dispatches encoded (one per pipeline timed while profiling). */
  count = 0;

  constructor(private readonly device: GPUDevice) {}

  /** Whether `pipeline` still needs its empty dispatch before a timed one. */
  needs(pipeline: GPUComputePipeline): boolean {
    return !this.primed.has(pipeline);
  }

  /** Encodes the empty dispatch into `pass` (an untimed one), with the bind group the timed
   *  dispatch will use so the layout and dynamic offsets are valid. */
  prime(
    pass: GPUComputePassEncoder,
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    offsets?: readonly number[],
    /** Group 1, where the pipeline has one (webgpuExecutable.ts). */
    ioGroup?: GPUBindGroup,
  ): void {
    // A new buffer reads as zeros: workgroup counts (0, 0, 0).
    this.zeroArgs ??= this.device.createBuffer({ size: 12, usage: INDIRECT, label: "prime_zero_workgroups" });
    pass.setPipeline(pipeline);
    if (offsets && offsets.length > 0) pass.setBindGroup(0, bindGroup, offsets);
    else pass.setBindGroup(0, bindGroup);
    if (ioGroup) pass.setBindGroup(1, ioGroup);
    pass.dispatchWorkgroupsIndirect(this.zeroArgs, 0);
    this.primed.add(pipeline);
    this.count++;
  }
}
