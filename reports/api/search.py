from rest_framework.views import APIView
from rest_framework.response import Response


class SearchView(APIView):
    def get(self, request):
        return Response({"query": "", "count": 0, "next": None, "results": [], "facets": {}})
