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
}
