using System.Text.Json;

namespace Booklore.Tasks.Services.Api;

public static class ApiEndpoints
{
    /// <summary>Maps every HTTP API endpoint: /api/v1/... and /healthz.</summary>
    public static IEndpointRouteBuilder MapBookloreApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").DisableAntiforgery();
        api.MapTaskEndpoints();
        api.MapEventEndpoints();
        api.MapLibraryEndpoints();
        api.MapPageEndpoints();
        api.MapBookEndpoints();
        endpoints.MapHealthCheck();
        return endpoints;
    }

    /// <summary>
    /// Turns requests that fail to bind (a body that is not JSON, "?width=abc", a body over the
    /// size limit) into a problem response with the framework's message, which names the
    /// parameter or the limit, in every environment.
    /// Without this, Development shows the exception with its stack trace and other
    /// environments send a bare 400 that does not say what was wrong.
    /// </summary>
    public static IApplicationBuilder UseBadRequestProblems(this IApplicationBuilder app)
    {
        // RouteHandlerOptions.ThrowOnBadRequest is set in AddBooklore, so binding failures reach this catch.
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                // The framework's message names only the parameter, so the JSON error's place is added:
                // the path of a value of the wrong type, or the position of a syntax error.
                var place = exception.InnerException switch
                {
                    // A wrong type carries an InvalidOperationException, a syntax error the reader's own exception.
                    JsonException { InnerException: null or InvalidOperationException, Path: { } path } => $" The value at {path} does not have the expected type.",
                    JsonException { LineNumber: { } line, BytePositionInLine: { } position } =>
                        $" The body is not valid JSON at line {line + 1}, byte {position + 1}.",
                    _ => "",
                };
                await Results.Problem(
                    title: "Invalid request",
                    detail: $"{exception.Message}{place} Check the request against /api/v1/openapi.json.",
                    statusCode: exception.StatusCode).ExecuteAsync(context);
            }
        });
    }
}
