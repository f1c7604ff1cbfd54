package io.orderflow.registry;

/** An error answered with Confluent's error body: the HTTP status and the registry's own {@code error_code}. */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    RegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, Object version) {
        return new RegistryException(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryException schemaNotFound(String detail) {
        return new RegistryException(404, 40403, "Schema " + detail + " not found.");
    }

    static RegistryException subjectConfigNotFound(String subject) {
        return new RegistryException(
                404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String subject, java.util.List<String> problems) {
        return new RegistryException(
                409,
                409,
                "Schema being registered is incompatible with an earlier schema for" + " subject \"" + subject
                        + "\", details: " + problems);
    }

    static RegistryException invalidSchema(String detail) {
        return new RegistryException(422, 42201, "Invalid schema: " + detail);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(
                422,
                42202,
                "The specified version '" + version + "' is not a valid version id."
                        + " Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(
                422,
                42203,
                "Invalid compatibility level '" + level + "'. Valid values are "
                        + java.util.Arrays.toString(CompatibilityLevel.values()));
    }

    static RegistryException badRequest(String detail) {
        return new RegistryException(400, 400, detail);
    }

    static RegistryException storeFailure(String detail, Throwable cause) {
        RegistryException exception = new RegistryException(500, 50001, "Error in the backend data store: " + detail);
        exception.initCause(cause);
        return exception;
    }
}
