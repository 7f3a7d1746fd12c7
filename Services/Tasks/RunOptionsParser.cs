using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>Turns the JSON options of a start request into a typed, validated options object.</summary>
public static partial class RunOptionsParser
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
            var unknown = UnknownMemberPattern().Match(exception.Message);
            if (unknown.Success)
            {
                field = unknown.Groups["name"].Value;
                throw new InvalidRunOptionsException(field, $"'{field}' is not a known option. Remove it or check its spelling.");
            }

            throw new InvalidRunOptionsException(field, $"'{field}' has an invalid value; it must be {DescribeExpected<T>(field)}.");
        }
    }

    /// <summary>Names the JSON type a field of <typeparamref name="T"/> takes, for error messages.</summary>
    private static string DescribeExpected<T>(string field)
    {
        var property = typeof(T).GetProperties()
            .FirstOrDefault(candidate => string.Equals(candidate.Name, field.Split('[', '.')[0], StringComparison.OrdinalIgnoreCase));
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            null => "valid JSON for this option",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(name => $"\"{JsonNamingPolicy.CamelCase.ConvertName(name)}\"")),
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => property!.PropertyType == type ? "a whole number" : "a whole number or null",
            _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) && type != typeof(string) => "an array of whole numbers",
            _ => $"a {type.Name}",
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex("property '(?<name>[^']+)' could not be mapped")]
    private static partial System.Text.RegularExpressions.Regex UnknownMemberPattern();

    private static JsonSerializerOptions CreateStrictOptions()
    {
        var options = new JsonSerializerOptions(RunJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,

            // "dryrun" for "dryRun" is rejected, so a typo never passes as a known option.
            PropertyNameCaseInsensitive = false,
        };
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Options of tasks that take none.</summary>
public sealed record NoOptions;
