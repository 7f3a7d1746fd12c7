using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>Turns the JSON options of a start request into a typed, validated options object.</summary>
public static class RunOptionsParser
{
    private static readonly JsonSerializerOptions StrictOptions = CreateStrictOptions();

    /// <summary>
    /// Parses <paramref name="json"/> (null or an empty object gives the defaults). Unknown fields,
    /// wrong types and rule failures throw <see cref="InvalidRunOptionsException"/> naming the field.
    /// </summary>
    public static T Parse<T>(JsonElement? json, IValidator<T>? validator = null) where T : new()
    {
        T options;
        if (json is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element)
        {
            options = new T();
        }
        else if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRunOptionsException("options", "The options must be a JSON object, such as {}.");
        }
        else
        {
            options = Deserialize<T>(element);
        }

        var failure = validator?.Validate(options).Errors.FirstOrDefault();
        if (failure is not null)
        {
            throw new InvalidRunOptionsException(JsonNamingPolicy.CamelCase.ConvertName(failure.PropertyName), failure.ErrorMessage);
        }

        return options;
    }

    private static T Deserialize<T>(JsonElement element) where T : new()
    {
        try
        {
            return element.Deserialize<T>(StrictOptions) ?? new T();
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "options";
            var reason = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"'{field}' is not a known option. Remove it or check its spelling."
                : $"'{field}' has an invalid value. {exception.Message}";
            throw new InvalidRunOptionsException(field, reason);
        }
    }

    private static JsonSerializerOptions CreateStrictOptions()
    {
        var options = new JsonSerializerOptions(RunJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Options of tasks that take none.</summary>
public sealed record NoOptions;
