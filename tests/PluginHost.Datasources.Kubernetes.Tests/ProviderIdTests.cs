namespace PluginHost.Datasources.Kubernetes.Tests;

public sealed class ProviderIdTests
{
    [Theory]
    [InlineData("openstack, no region", "openstack:///41c40aab-80e9-4bb6-a280-27976bfc811f", "openstack", "41c40aab-80e9-4bb6-a280-27976bfc811f")]
    [InlineData("openstack, with region", "openstack://RegionOne/41c40aab-80e9-4bb6-a280-27976bfc811f", "openstack", "41c40aab-80e9-4bb6-a280-27976bfc811f")]
    [InlineData("aws", "aws:///us-east-1a/i-0abcdef1234567890", "aws", "i-0abcdef1234567890")]
    [InlineData("aws, no zone", "aws:////i-0abcdef1234567890", "aws", "i-0abcdef1234567890")]
    [InlineData("gce", "gce://my-project/europe-west1-b/gke-pool-1-abcd", "gce", "gke-pool-1-abcd")]
    [InlineData("azure vm", "azure:///subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/aks-node-0", "azure", "aks-node-0")]
    [InlineData("kind", "kind://docker/kind/kind-control-plane", "kind", "kind-control-plane")]
    [InlineData("vsphere", "vsphere://4237a0e1-8d2b-4b1c-9a3d-0f5e6a7b8c9d", "vsphere", "4237a0e1-8d2b-4b1c-9a3d-0f5e6a7b8c9d")]
    [InlineData("scheme in capitals", "OpenStack:///abc", "openstack", "abc")]
    [InlineData("trailing slash", "openstack:///abc/", "openstack", "abc")]
    [InlineData("blank last segments", "openstack:///abc/ / ", "openstack", "abc")]
    [InlineData("blanks around scheme and id", " AWS :///zone/ i-1 ", "aws", "i-1")]
    [InlineData("a cloud this list does not know", "Acme://x/y", "acme", "y")]
    [InlineData("scheme only", "openstack://", "openstack", null)]
    [InlineData("empty", "", null, null)]
    [InlineData("blank", "   ", null, null)]
    [InlineData("absent", null, null, null)]
    [InlineData("no scheme", "i-0abcdef", null, null)]
    [InlineData("starts with separator", ":///abc", null, null)]
    public void Parse_ProviderId_GivesProviderAndInstanceId(string name, string? providerId, string? provider, string? instanceId)
    {
        var parsed = ProviderId.Parse(providerId);

        parsed.Provider.ShouldBe(provider, name);
        parsed.InstanceId.ShouldBe(instanceId, name);
    }

    [Fact]
    public void Parse_TwoNodesOfOneCloud_ShareTheProviderString()
    {
        var first = ProviderId.Parse("openstack:///" + Guid.NewGuid());
        var second = ProviderId.Parse("OPENSTACK://RegionOne/" + Guid.NewGuid());

        ReferenceEquals(first.Provider, second.Provider).ShouldBeTrue();
    }
}
