/* Starts Swagger UI on /docs from the files of the installed swagger-ui-bundle package. */
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
