using System.Collections;

namespace Edge.Local.Broker;

/// <summary>The role a client logged in with, kept in its MQTTnet session items.</summary>
internal static class SessionRole
{
    private const string Key = "edge.role";

    public static void Set(IDictionary items, BrokerRole role) => items[Key] = role;

    // A session without a role never passed our validation (cannot happen): treat it as the least privileged.
    public static BrokerRole Get(IDictionary? items) => items?[Key] is BrokerRole r ? r : BrokerRole.Sensor;
}
