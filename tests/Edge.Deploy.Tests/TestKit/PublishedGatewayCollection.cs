namespace Edge.Deploy.Tests.TestKit;

/// <summary>The test classes that share one <see cref="PublishedGateway"/> (and so run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedGatewayCollection : ICollectionFixture<PublishedGateway>
{
    public const string Name = "published gateway";
}
