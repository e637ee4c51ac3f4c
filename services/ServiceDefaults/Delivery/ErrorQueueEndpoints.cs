using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SocialDomain.ServiceDefaults.Access;

namespace SocialDomain.ServiceDefaults.Delivery;

/// <param name="Queue">The error queue.</param>
/// <param name="Messages">How many messages it holds.</param>
/// <param name="InputQueue">The queue its messages failed in and are sent back to.</param>
public sealed record ErrorQueueSummary(string Queue, uint Messages, string InputQueue);

/// <param name="Transport">The bus: RabbitMq, or InMemory, whose failed messages stay in the process and are not listed.</param>
public sealed record ErrorQueuesResponse(string Transport, IReadOnlyList<ErrorQueueSummary> Queues);

public sealed record ErrorMessagesResponse(string Queue, IReadOnlyList<ErrorMessage> Messages);

/// <param name="MessageId">The one message to send back; all messages of the queue when left out.</param>
public sealed record ResendRequest(string? MessageId);

public sealed record ResendResponse(string Queue, int Resent);

/// <summary>
/// The beheerder's error-queue tool over HTTP: list a service's error queues, show their messages, send them back to
/// the queue they failed in once the cause is fixed. The messages hold BSNs: every read is in the access log.
/// </summary>
public static class ErrorQueueEndpoints
{
    private const int MaxShown = 100;

    /// <param name="queues">The service's own queues; only their error queues can be looked at.</param>
    public static void MapErrorQueues(this RouteGroupBuilder group, IReadOnlyList<string> queues)
    {
        var api = group.MapGroup("/beheer/error-queues").WithTags("Beheer").WithProblems();

        api.MapGet("", async (HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                if (http.RequestServices.GetService<BrokerQueues>() is not { } broker)
                    return TypedResults.Ok(new ErrorQueuesResponse("InMemory", []));
                var summaries = new List<ErrorQueueSummary>();
                foreach (var queue in queues)
                    if (await broker.MessageCountAsync(queue + BrokerQueues.ErrorSuffix, ct) is { } count)
                        summaries.Add(new ErrorQueueSummary(queue + BrokerQueues.ErrorSuffix, count, queue));
                return TypedResults.Ok(new ErrorQueuesResponse("RabbitMq", summaries));
            })
            .WithName("error-queues")
            .WithSummary("The service's error queues and how many messages each holds (beheerder only)")
            .WithDescription("De foutwachtrijen van deze service en hoeveel berichten er in elk staan; alleen voor de beheerder.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/{queue}/messages", async (string queue, HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var broker = BrokerFor(http, queue, queues);
                var messages = await broker.PeekAsync(queue, MaxShown, ct);
                await http.RecordAccess($"beheer/error-queues/{queue}");
                return TypedResults.Ok(new ErrorMessagesResponse(queue, messages));
            })
            .WithName("error-queue-messages")
            .WithSummary($"The first {MaxShown} messages of an error queue, with why each failed; they stay where they are (beheerder only)")
            .WithDescription($"De eerste {MaxShown} berichten van een foutwachtrij, met waarom elk mislukte; ze blijven staan. De berichten bevatten BSN's: elke inzage staat in het toegangslog.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{queue}/resend", async (string queue, HttpContext http, CancellationToken ct) =>
            {
                http.Authorize(AccessAction.OperatePlatform, new AccessTarget.Platform());
                var request = await JsonBody.Read<ResendRequest>(http.Request, EventStore.EventSerializer.Json);
                var broker = BrokerFor(http, queue, queues);
                var resent = await broker.ResendAsync(queue, request.MessageId, ct);
                if (request.MessageId is not null && resent == 0)
                    throw new ApiProblem(StatusCodes.Status404NotFound, "No such message", "The error queue holds no message with this id.");
                return TypedResults.Ok(new ResendResponse(queue, resent));
            })
            .WithName("error-queue-resend")
            .WithSummary("Send one message (messageId) or all messages of an error queue back to the queue they failed in (beheerder only)")
            .WithDescription("Zet één bericht (messageId) of alle berichten van een foutwachtrij terug in de wachtrij waarin ze mislukten, nadat de oorzaak is verholpen. Consumenten ontdubbelen, dus een bericht dat al verwerkt was verandert niets.")
            .Accepts<ResendRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static BrokerQueues BrokerFor(HttpContext http, string errorQueue, IReadOnlyList<string> queues) =>
        http.RequestServices.GetService<BrokerQueues>() is { } broker && BrokerQueues.IsErrorQueueOf(queues, errorQueue)
            ? broker
            : throw new ApiProblem(StatusCodes.Status404NotFound, "No such error queue", "This service has no error queue of this name.");
}
