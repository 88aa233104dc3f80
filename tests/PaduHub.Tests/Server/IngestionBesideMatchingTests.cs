using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaduHub.Access;
using PaduHub.GoldenRecords;
using PaduHub.Server.Matching;

namespace PaduHub.Tests.Server;

/// <summary>Matching jobs, however many wait, never hold the workers an agency's file needs: they run on a queue of their own.</summary>
[NonParallelizable]
public sealed class IngestionBesideMatchingTests() : EmptyServerFixture("beside")
{
    [Test]
    public async Task An_upload_loads_while_matching_jobs_wait_on_the_matching_lock()
    {
        var key = (await ApiClients.CreateAsync(ConnectionString, "lhdn-uploader", [ApiClient.IngestScope("LHDN")])).Key;
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync();
        // Matching is busy elsewhere (another run holds its lock); three more runs are asked for and wait.
        await holder.ExecuteAsync("select pg_advisory_lock(@MatchingLock)", new { MatchingSetup.MatchingLock });
        try
        {
            var jobs = Server!.Services.GetRequiredService<IBackgroundJobClient>();
            for (var i = 0; i < 3; i++)
            {
                jobs.Enqueue<MatchingJobs>(j => j.MatchQueued(CancellationToken.None));
            }
            await Task.Delay(TimeSpan.FromSeconds(2));

            using var client = Server.CreateClient();
            var file = Path.Combine(Repository.Root, "samples", "demo", "extracts", "lhdn_full.txt");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/agencies/LHDN/extracts?file_name=lhdn_full.txt", UriKind.Relative))
            {
                Content = new StreamContent(File.OpenRead(file)),
            };
            request.Headers.Add("X-Api-Key", key);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

            var status = "";
            // Well inside the 30 s a blocked matching job waits for its lock before its command times out and frees a worker.
            for (var i = 0; i < 150 && status != "loaded"; i++)
            {
                status = await holder.ExecuteScalarAsync<string>("select status from extract where id = @id", new { id }) ?? "";
                await Task.Delay(100);
            }
            Assert.That(status, Is.EqualTo("loaded"), "loaded within 15 s while every matching job waited");
        }
        finally
        {
            await holder.ExecuteAsync("select pg_advisory_unlock(@MatchingLock)", new { MatchingSetup.MatchingLock });
        }
    }
}
