using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PaduHub.Tests;

/// <summary>
/// The hub's server as a real process (the built PaduHub.Server.dll under dotnet), on a free loopback port, with the
/// settings a test gives in its environment. Disposing kills it and its children by pid if it still runs.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    readonly StringBuilder _output;

    HubProcess(Process process, StringBuilder output, int port)
    {
        Process = process;
        _output = output;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Process Process { get; }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    static string ServerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(Repository.Root, "src", "PaduHub.Server", "bin", configuration, "net10.0", "PaduHub.Server.dll");
        Assert.That(dll, Does.Exist);
        return dll;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits (at most 30 s) until its /health answers 200.</summary>
    public static async Task<HubProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var listen = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet", [ServerDll(), "--urls", $"http://127.0.0.1:{listen}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var hub = new HubProcess(process, output, listen);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(hub.Address, "/health"))).IsSuccessStatusCode)
                {
                    return hub;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Assert.That(process.HasExited, Is.False, () => $"the hub stopped while starting:\n{hub.Output}");
            await Task.Delay(100);
        }
        await hub.DisposeAsync();
        Assert.Fail($"the hub did not answer /health within 30 s:\n{hub.Output}");
        return hub;
    }

    /// <summary>SIGKILL: no shutdown, no requeue of its jobs, no rollback from the client.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!Process.HasExited)
        {
            await KillAsync();
        }
        Process.Dispose();
    }
}
