namespace PluginHost.KubeApiSimulator;

/// <summary>Which cloud the generated nodes claim to run on (their <c>spec.providerID</c>).</summary>
public enum ProviderMode
{
    OpenStack,
    Aws,
    Gce,
    Azure,

    /// <summary>No providerID (bare metal, kubeadm without a cloud provider).</summary>
    None,

    /// <summary>Every provider in turn, node by node.</summary>
    Mixed,
}
