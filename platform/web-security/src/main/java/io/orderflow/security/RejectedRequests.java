package io.orderflow.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * A request Spring Security's firewall refuses (an encoded slash or {@code ..} in the path, a control character in a
 * header such as the Authorization one): 400 as a problem. The detail does not repeat the firewall's message, which
 * quotes the offending value, a token perhaps.
 */
final class RejectedRequests implements RequestRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(RejectedRequests.class);

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        log.debug("Rejected a request", rejected);
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        Problems.write(
                request,
                response,
                HttpStatus.BAD_REQUEST,
                "Request rejected",
                "the request was refused before it was read: its path or a header holds characters or sequences"
                        + " that are not allowed (such as an encoded slash, \"..\", or a control character)",
                Map.of());
    }
}
