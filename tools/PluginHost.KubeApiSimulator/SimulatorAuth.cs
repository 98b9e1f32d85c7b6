namespace PluginHost.KubeApiSimulator;

/// <summary>How clients must authenticate.</summary>
public enum SimulatorAuth
{
    /// <summary>Anyone may call (plain HTTP tests).</summary>
    None,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    Token,

    /// <summary>A TLS client certificate issued by the simulator's CA (HTTPS only).</summary>
    ClientCertificate,
}
