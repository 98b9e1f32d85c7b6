using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Cli;

namespace PluginHost.Tests.Cli;

/// <summary>Found by a hostile test (stop 39): a background service's exception stopped run with exit 0.</summary>
public sealed class FaultedServicesTests
{
    public static TheoryData<string, bool, string[]> Cases => new()
    {
        { "one service throws", true, ["ThrowingService"] },
        { "every service ends well", false, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_HostStoppedByItsServices_NamesThoseThatThrew(string name, bool throws, string[] expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService(_ => new ThrowingService(throws));
        builder.Services.AddHostedService<StoppingService>();
        using var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));

        var faulted = await FaultedServices.RunAsync(host, timeout.Token);

        faulted.ShouldBe(expected, name);
    }

    private sealed class ThrowingService(bool throws) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            if (throws)
            {
                throw new InvalidOperationException("a bug");
            }
        }
    }

    // Ends the host when nothing threw (a throwing service ends it by itself).
    private sealed class StoppingService(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(200, stoppingToken);
            lifetime.StopApplication();
        }
    }
}
