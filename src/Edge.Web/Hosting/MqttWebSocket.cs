using System.Net;
using Edge.Local.Broker.Transport;
using Microsoft.AspNetCore.Http;

namespace Edge.Web.Hosting;

/// <summary><c>/mqtt</c>: upgrades to a WebSocket with the "mqtt" subprotocol and hands it to the embedded broker.</summary>
internal static class MqttWebSocket
{
    public static async Task AcceptAsync(HttpContext context, WebSocketServerAdapter? broker)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("/mqtt speaks MQTT over WebSocket (subprotocol 'mqtt'), e.g. with mqtt.js\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (broker is not { Accepting: true })
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("the embedded broker is not running (Broker:Mode)\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        // MQTT 5 §6 / 3.1.1 §6: the client offers "mqtt" and the server must select it.
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(WebSocketServerAdapter.SubProtocol, StringComparer.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("offer the WebSocket subprotocol 'mqtt' (MQTT 5 §6)\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(WebSocketServerAdapter.SubProtocol).ConfigureAwait(false);
        var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort);
        await broker.RunAsync(socket, remote, context.Request.IsHttps, context.RequestAborted).ConfigureAwait(false);
    }
}
