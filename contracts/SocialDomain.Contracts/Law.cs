using System.Text.Json.Serialization;

namespace SocialDomain.Contracts;

/// <summary>The three decentralised laws of the social domain.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Law>))]
public enum Law
{
    Jeugdwet,
    Wmo,
    Participatiewet,
}
