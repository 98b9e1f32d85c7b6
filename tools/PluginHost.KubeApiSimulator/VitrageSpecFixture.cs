using System.Text.Json.Nodes;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// The node of OpenStack Vitrage's Kubernetes datasource spec ("get_all implementation"): the
/// control-plane node <c>bcmt-control-01</c> on the OpenStack VM <c>41c40aab-…</c>, as
/// <c>list_nodes()</c> returned it there.
/// </summary>
public static class VitrageSpecFixture
{
    public const string NodeName = "bcmt-control-01";
    public const string NodeUid = "68011206-d4d6-11e7-9c63-fa163e2e2123";
    public const string InstanceId = "41c40aab-80e9-4bb6-a280-27976bfc811f";
    public const string ProviderId = "openstack:///" + InstanceId;
    public const string CreationTimestamp = "2017-11-29T07:24:59Z";
    public const string FirstInternalIp = "172.16.1.12";
    public const string SecondInternalIp = "10.5.138.49";

    public static JsonObject CreateNode() => new()
    {
        ["kind"] = "Node",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject
        {
            ["annotations"] = new JsonObject
            {
                ["node.alpha.kubernetes.io/ttl"] = "0",
                ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
            },
            ["creationTimestamp"] = CreationTimestamp,
            ["labels"] = new JsonObject
            {
                ["beta.kubernetes.io/arch"] = "amd64",
                ["beta.kubernetes.io/os"] = "linux",
                ["failure-domain.beta.kubernetes.io/region"] = "regionOne",
                ["failure-domain.beta.kubernetes.io/zone"] = "zone0",
                ["is_control"] = "true",
                ["kubernetes.io/hostname"] = NodeName,
            },
            ["name"] = NodeName,
            ["resourceVersion"] = "10714282",
            ["selfLink"] = "/api/v1/nodes/" + NodeName,
            ["uid"] = NodeUid,
        },
        ["spec"] = new JsonObject
        {
            ["externalID"] = InstanceId,
            ["providerID"] = ProviderId,
            ["taints"] = new JsonArray(new JsonObject
            {
                ["effect"] = "NoExecute",
                ["key"] = "is_control",
                ["timeAdded"] = null,
                ["value"] = "true",
            }),
        },
        ["status"] = new JsonObject
        {
            ["addresses"] = new JsonArray(
                new JsonObject { ["address"] = FirstInternalIp, ["type"] = "InternalIP" },
                new JsonObject { ["address"] = SecondInternalIp, ["type"] = "InternalIP" },
                new JsonObject { ["address"] = NodeName, ["type"] = "Hostname" }),
            ["allocatable"] = new JsonObject { ["cpu"] = "2", ["memory"] = "3779500Ki", ["pods"] = "110" },
            ["capacity"] = new JsonObject { ["cpu"] = "2", ["memory"] = "3881900Ki", ["pods"] = "110" },
            ["conditions"] = new JsonArray(
                Condition("False", "OutOfDisk", "KubeletHasSufficientDisk", "kubelet has sufficient disk space available"),
                Condition("False", "MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                Condition("False", "DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                Condition("True", "Ready", "KubeletReady", "kubelet is posting ready status")),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
            ["images"] = new JsonArray(new JsonObject
            {
                ["names"] = new JsonArray(
                    "172.16.1.4:5000/gcr.io/google-containers/hyperkube-amd64",
                    "172.16.1.4:5000/gcr.io/google-containers/hyperkube-amd64:v1.7.4"),
                ["sizeBytes"] = 615424570,
            }),
            ["nodeInfo"] = new JsonObject
            {
                ["architecture"] = "amd64",
                ["bootID"] = "883c98a9-17ea-40f9-af7d-a448ad817249",
                ["containerRuntimeVersion"] = "docker://1.12.6",
                ["kernelVersion"] = "3.10.0-514.21.1.el7.x86_64",
                ["kubeProxyVersion"] = "v1.7.4",
                ["kubeletVersion"] = "v1.7.4",
                ["machineID"] = "10783ea106f742728fede153a98b035d",
                ["operatingSystem"] = "linux",
                ["osImage"] = "Red Hat Enterprise Linux Server 7.3 (Maipo)",
                ["systemUUID"] = InstanceId.ToUpperInvariant(),
            },
        },
    };

    private static JsonObject Condition(string status, string type, string reason, string message) => new()
    {
        ["lastHeartbeatTime"] = "2018-02-15T12:08:58Z",
        ["lastTransitionTime"] = "2018-02-14T13:39:53Z",
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = status,
        ["type"] = type,
    };
}
