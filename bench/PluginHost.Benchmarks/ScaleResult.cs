namespace PluginHost.Benchmarks;

/// <summary>One row of the scale table: medians of the runs, all measured in one process.</summary>
internal sealed record ScaleResult(
    int Nodes,
    double FloorMs,
    double PipelineMs,
    double FloorAllocatedMiB,
    double PipelineAllocatedMiB,
    double SnapshotProcessPeakMiB,
    double SnapshotProcessSeconds,
    int Vertices,
    int Edges)
{
    public double Ratio => PipelineMs / FloorMs;
}
