using System.Buffers;

namespace Edge.Local.Query;

/// <summary>
/// The request/response protocol around <see cref="QueryService"/>: MQTT 5 clients set Response Topic and
/// Correlation Data (echoed by the transport); MQTT 3.1.1 clients put "replyTo" and "correlationId" in the JSON.
/// Authorisation and the rate limit are checked after the reply topic is known, so even a refused client learns why.
/// The rate limit is per <c>rateKey</c>: the account (or address) behind the client, never its client id, which a
/// client can change at will.
/// </summary>
public sealed class QueryEndpoint(QueryService queries, ClientRateLimiter limiter, LocalTopics topics)
{
    public QueryOutcome Handle(string rateKey, bool authorised, ReadOnlySpan<byte> payload, string? responseTopic)
    {
        QueryRequest? request = null;
        ReadOnlySequence<byte>? parseError = null;
        try
        {
            request = QueryParser.Parse(payload, queries.Options.MaxRequestBytes);
        }
        catch (QueryException e)
        {
            parseError = queries.Error(e.Code, e.Message, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            parseError = queries.Fault(e, "parsing a query", null); // a parser bug must not leave the request unanswered
        }
        string? replyTo = responseTopic ?? request?.ReplyTo;
        if (replyTo is null)
            return new QueryOutcome(null, null, parseError is null
                ? "the request has no Response Topic (MQTT 5) and no \"replyTo\" field (MQTT 3.1.1): there is nowhere to answer"
                : "the request is not valid JSON and has no Response Topic: there is nowhere to answer");
        if (replyTo.Length == 0 || replyTo.Contains('+') || replyTo.Contains('#') || replyTo.StartsWith(topics.Root, StringComparison.Ordinal))
            return new QueryOutcome(null, null, $"reply topic '{replyTo}' is not allowed: it must be a topic name without wildcards outside {topics.Root}");
        // MQTT 5 §4.7.2: topics starting with '$' belong to the server ($SYS statistics, our own $edge ids); a reply
        // there would let any client write into them through us.
        if (replyTo.StartsWith('$'))
            return new QueryOutcome(null, null, $"reply topic '{replyTo}' is not allowed: topics starting with '$' are the broker's");
        if (parseError is not null) return new QueryOutcome(replyTo, parseError, null);
        if (!authorised)
            return new QueryOutcome(replyTo, queries.Error(QueryErrorCode.NotAuthorised, "this client's role may not query (needs reader or admin)", request!.CorrelationId), null);
        if (!limiter.TryAcquire(rateKey))
            return new QueryOutcome(replyTo, queries.Error(QueryErrorCode.RateLimited, "too many queries from this client; slow down (Query:QueriesPerSecond)", request!.CorrelationId), null);
        return new QueryOutcome(replyTo, queries.Answer(request!), null);
    }
}
